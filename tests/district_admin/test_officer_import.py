"""Officer import in a district: dry run with row errors, the import as a district task, progress,
re-import changes nothing, the error report; who may."""

import csv
import io

import pytest
from django.core import mail

from core import services as core_services
from core.models import AuditEvent, Office, OfficerImport, Post, Posting
from core.tasks import officer_import_task
from tenants.context import district_context
from tenants.models import User
from tests.district_admin.conftest import non_admin_clients, refused

pytestmark = pytest.mark.django_db

HEADER = [
    "login_id",
    "name",
    "name_hi",
    "rank",
    "service_number",
    "mobile",
    "email",
    "office",
    "post",
    "district",
]


def officer(n: int, **values) -> dict:
    row = {
        "login_id": f"t.imp.{n}",
        "name": f"Officer {n}",
        "name_hi": "अधिकारी कुमार",
        "rank": "SI",
        "service_number": f"BR-IMP-{n:04d}",
        "mobile": f"98{n:08d}",
        "email": f"t.imp.{n}@example.org",
        "office": "t-im-thana",
        "post": f"t-im-si-{n}",
        "district": "",
    }
    row.update(values)
    return row


def csv_bytes(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([row[column] for column in HEADER])
    return out.getvalue().encode("utf-8")


def upload(client, data: bytes, name: str = "officers.csv"):
    file = io.BytesIO(data)
    file.name = name
    return client.post("/admin/officers/imports/", {"file": file})


def job_of(response) -> OfficerImport:
    assert response.status_code == 302, response.content.decode()[:2000]
    job_id = response.url.rstrip("/").rsplit("/", 1)[-1]
    with district_context("vaishali"):
        return OfficerImport.objects.get(pk=job_id)


def in_vaishali(fn):
    with district_context("vaishali"):
        return fn()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def places(world, media):
    """A Vaishali thana with nine SI posts, one of them held; a Muzaffarpur thana."""
    with district_context(world.vaishali.schema_name):
        thana = core_services.office_create(
            code="t-im-thana", name="Thana Import", name_hi="थाना आयात", kind=Office.Kind.THANA
        )
        for n in range(1, 10):
            core_services.post_create(office=thana, code=f"t-im-si-{n}", title=f"SI {n}", kind=Post.Kind.SI)
        core_services.posting_start(person=world.vaishali_clerk, post=Post.objects.get(code="t-im-si-9"))
    with district_context(world.muzaffarpur.schema_name):
        core_services.office_create(code="t-im-muz", name="Muz Import", kind=Office.Kind.THANA)
    return world


def stored(media) -> list:
    folder = media / "districts" / "vaishali" / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


def run(job: OfficerImport, admin: User) -> OfficerImport:
    """What the huey consumer does once the run POST commits: the district task, here and now."""
    officer_import_task.call_local("vaishali", str(job.pk), actor_id=admin.pk)
    return in_vaishali(lambda: OfficerImport.objects.get(pk=job.pk))


def errors_by_row(job: OfficerImport) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for error in job.errors:
        found.setdefault(error["row"], set()).add(error["column"])
    return found


def test_non_admins_are_refused_and_their_posts_change_nothing(places, admin_client, media):
    job = job_of(upload(admin_client, csv_bytes([officer(1)])))
    files = stored(media)
    for who, client in non_admin_clients().items():
        assert refused(client.get("/admin/officers/imports/")), who
        assert refused(upload(client, csv_bytes([officer(2)]))), who
        for tail in ("", "progress/", "errors.csv"):
            assert refused(client.get(f"/admin/officers/imports/{job.pk}/{tail}")), (who, tail)
        assert refused(client.post(f"/admin/officers/imports/{job.pk}/run/")), who
    assert in_vaishali(lambda: list(OfficerImport.objects.values_list("pk", "status"))) == [
        (job.pk, "previewed")
    ]
    assert stored(media) == files


def test_dry_run_reports_each_bad_row_and_changes_nothing(places, admin_client, media):
    User.objects.create_user("t.taken", None, email="t.taken@example.org", service_number="BR-TAKEN")
    rows = [
        officer(1),  # row 2: fine
        officer(2, name="", service_number="", post=""),  # row 3: missing fields
        officer(3, office="t-im-nowhere"),  # row 4: unknown office
        officer(4, post="t-im-no-post"),  # row 5: unknown post
        officer(5, login_id="t.dup"),  # rows 6 and 7: the same login ID
        officer(6, login_id="t.dup"),
        officer(7, mobile="12345"),  # row 8: not a mobile number
        officer(8, post="t-im-si-9"),  # row 9: a post held by clerk.vaishali
        officer(9, post="t-im-si-8", district="Muzaffarpur"),  # row 10: another district's row
        officer(10, login_id="t.taken", post="t-im-si-3"),  # row 11: another person's login ID
    ]
    users = User.objects.count()
    job = job_of(upload(admin_client, csv_bytes(rows)))
    found = errors_by_row(job)
    assert 2 not in found
    assert found[3] == {"name", "service_number", "post"}
    assert found[4] == {"office"} and found[5] == {"post"}
    assert found[6] == found[7] == {"login_id"}
    assert found[8] == {"mobile"} and found[9] == {"post"} and found[10] == {"district"}
    assert found[11] == {"login_id"}
    messages = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert "held by clerk.vaishali since" in messages[(9, "post")]
    assert (job.total_rows, job.valid_rows, job.status) == (10, 1, "previewed")
    assert User.objects.count() == users and [p.name for p in stored(media)] == [job.stored_name]
    page = admin_client.get(f"/admin/officers/imports/{job.pk}/").text
    assert "held by clerk.vaishali" in page and "Import the 1 valid row" in page
    report = admin_client.get(f"/admin/officers/imports/{job.pk}/errors.csv")
    assert report.content.startswith(b"\xef\xbb\xbf")
    assert "another district" in report.content.decode("utf-8-sig")


def test_a_file_that_is_not_a_table_is_refused_whole(places, admin_client, media):
    response = upload(admin_client, b"%PDF-1.4 not a table", name="officers.csv")
    assert response.status_code == 200 and "PDF" in response.text
    assert in_vaishali(lambda: OfficerImport.objects.count()) == 0 and stored(media) == []


def test_good_import_then_reimport_changes_nothing(
    places, admin_client, media, django_capture_on_commit_callbacks
):
    admin = User.objects.get(login_id="vaishali.admin")
    data = csv_bytes([officer(n, district="vaishali" if n == 1 else "") for n in range(1, 6)])
    job = job_of(upload(admin_client, data))
    assert job.errors == [] and job.result["preview"]["new_accounts"] == 5
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert admin_client.post(f"/admin/officers/imports/{job.pk}/run/").status_code == 302
    assert len(queued) == 1  # the task is enqueued once the request commits
    assert in_vaishali(lambda: OfficerImport.objects.get(pk=job.pk).status) == "queued"
    assert admin_client.post(f"/admin/officers/imports/{job.pk}/run/").status_code == 302  # second click
    with django_capture_on_commit_callbacks(execute=True):
        job = run(job, admin)
    assert job.status == "done" and job.result["imported"]["new_accounts"] == 5
    people = User.objects.filter(login_id__startswith="t.imp.")
    assert people.count() == 5 and not any(p.has_usable_password() for p in people)
    assert User.objects.get(login_id="t.imp.1").full_name_hi == "अधिकारी कुमार"
    assert in_vaishali(lambda: Posting.objects.filter(person__in=people, ends_on__isnull=True).count()) == 5
    assert len(mail.outbox) == 5 and all("vaishali.localhost" in m.body for m in mail.outbox)
    assert stored(media) == []  # personal data is not kept once imported
    progress = admin_client.get(f"/admin/officers/imports/{job.pk}/progress/").json()
    assert progress["percent"] == 100 and progress["finished"] and progress["done"] == 5
    actions = in_vaishali(lambda: list(AuditEvent.objects.values_list("action", flat=True)))
    assert actions.count("officer.add") == 5 and "officer_import.run" in actions
    page = admin_client.get("/admin/officers/").text
    assert "t.imp.3" in page and "अधिकारी कुमार" in page

    again = job_of(upload(admin_client, data))
    assert again.result["preview"]["unchanged"] == 5 and again.result["preview"]["new_accounts"] == 0
    in_vaishali(lambda: OfficerImport.objects.filter(pk=again.pk).update(status="queued"))
    postings = in_vaishali(lambda: Posting.objects.count())
    again = run(again, admin)
    assert again.status == "done" and again.result["imported"]["new_postings"] == 0
    assert in_vaishali(lambda: Posting.objects.count()) == postings and people.count() == 5


def test_import_moves_a_muzaffarpur_officer_without_a_second_account(places, admin_client):
    mover = User.objects.create_user("t.imp.7", None, service_number="BR-IMP-0007")
    with district_context(places.muzaffarpur.schema_name):
        post = core_services.post_create(
            office=Office.objects.get(code="t-im-muz"), code="t-im-muz-si", title="SI", kind=Post.Kind.SI
        )
        core_services.posting_start(person=mover, post=post)
    job = job_of(upload(admin_client, csv_bytes([officer(7)])))
    assert job.result["preview"]["transfers"] == 1
    in_vaishali(lambda: OfficerImport.objects.filter(pk=job.pk).update(status="queued"))
    job = run(job, User.objects.get(login_id="vaishali.admin"))
    assert job.status == "done" and User.objects.filter(service_number="BR-IMP-0007").count() == 1
    with district_context(places.muzaffarpur.schema_name):
        assert Posting.objects.get(person=mover).ends_on is not None
    assert in_vaishali(lambda: AuditEvent.objects.filter(action="officer.transfer").count()) == 1


def test_imports_of_muzaffarpur_are_not_listed_on_vaishali(places, admin_client):
    with district_context(places.muzaffarpur.schema_name):
        OfficerImport.objects.create(filename="muzaffarpur-secret.csv", sha256="0" * 64)
    assert "muzaffarpur-secret.csv" not in admin_client.get("/admin/officers/imports/").text
