"""Officer import in a district: dry run with row errors, the import as a district task, progress,
re-import changes nothing, the error report; who may; files never imported go after a week."""

import csv
import datetime
import io
import os
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from core.models import AuditEvent, Office, OfficerImport, Post, Posting
from core.org import services as core_services
from core.org.officer_import import prune
from core.org.officer_import.district import import_dir
from core.org.officer_import.prune import KEEP_UNRUN_DAYS, district_import_files_prune
from core.tasks import district_import_files_prune_task, officer_import_task
from tenants.context import district_context
from tenants.models import TransferProposal, User
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
def media(media_root):
    """The temporary MEDIA_ROOT every district-admin test gets (conftest), by its local name."""
    return media_root


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


def test_import_proposes_moving_a_muzaffarpur_officer_and_changes_nothing_there(places, admin_client):
    """A district's import never ends another district's postings nor fills in the account: it
    proposes the transfer to Muzaffarpur, once, however often the file is imported."""
    mover = User.objects.create_user("t.imp.7", None, service_number="BR-IMP-0007")
    with district_context(places.muzaffarpur.schema_name):
        post = core_services.post_create(
            office=Office.objects.get(code="t-im-muz"), code="t-im-muz-si", title="SI", kind=Post.Kind.SI
        )
        core_services.posting_start(person=mover, post=post)
        muzaffarpur_before = (
            list(Posting.objects.values_list("pk", "ends_on")),
            AuditEvent.objects.count(),
        )
    admin = User.objects.get(login_id="vaishali.admin")
    for _attempt in range(2):
        job = job_of(upload(admin_client, csv_bytes([officer(7)])))
        assert job.result["preview"]["proposals"] == 1 and job.result["preview"]["transfers"] == 0
        in_vaishali(lambda pk=job.pk: OfficerImport.objects.filter(pk=pk).update(status="queued"))
        job = run(job, admin)
        assert job.status == "done"
    assert User.objects.filter(service_number="BR-IMP-0007").count() == 1
    with district_context(places.muzaffarpur.schema_name):
        assert (list(Posting.objects.values_list("pk", "ends_on")), AuditEvent.objects.count()) == (
            muzaffarpur_before
        )
    mover.refresh_from_db()
    assert (mover.email, mover.full_name, mover.mobile) == ("", "", "")
    assert not in_vaishali(lambda: Posting.objects.filter(person=mover).exists())
    proposal = TransferProposal.objects.get(person=mover)
    assert (proposal.from_district, proposal.to_district) == (places.muzaffarpur, places.vaishali)
    assert proposal.proposed_by == admin
    assert in_vaishali(lambda: AuditEvent.objects.filter(action="officer.transfer").count()) == 0


def test_imports_of_muzaffarpur_are_not_listed_on_vaishali(places, admin_client):
    with district_context(places.muzaffarpur.schema_name):
        OfficerImport.objects.create(filename="muzaffarpur-secret.csv", sha256="0" * 64)
    assert "muzaffarpur-secret.csv" not in admin_client.get("/admin/officers/imports/").text


# Uploaded files hold personal data: a file never imported goes after a week, nightly.


def days_ago(days: int):
    return timezone.now() - datetime.timedelta(days=days)


def kept_file(schema: str, name: str, *, days_old: int) -> Path:
    path = import_dir(schema) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"login_id,name\nt.secret,Secret Person\n")
    os.utime(path, (days_ago(days_old).timestamp(), days_ago(days_old).timestamp()))
    return path


def kept_job(schema: str, *, days_old: int, status: str = "previewed") -> tuple[OfficerImport, Path]:
    """A job of that district, checked ``days_old`` days ago, with its file kept."""
    with district_context(schema):
        job = OfficerImport.objects.create(
            filename=f"{schema}.csv",
            sha256="0" * 64,
            status=status,
            created_at=days_ago(days_old),
            errors=[{"row": 3, "column": "name", "value": "", "message": "missing"}],
        )
        job.stored_name = f"{job.pk}.csv"
        job.save(update_fields=["stored_name"])
    return job, kept_file(schema, job.stored_name, days_old=days_old)


def test_a_job_never_run_for_eight_days_loses_its_file_and_says_so(
    places, admin_client, media, django_capture_on_commit_callbacks
):
    admin = User.objects.get(login_id="vaishali.admin")
    old = job_of(upload(admin_client, csv_bytes([officer(1), officer(2, name="")])))
    fresh = job_of(upload(admin_client, csv_bytes([officer(3)])))
    in_vaishali(
        lambda: OfficerImport.objects.filter(pk=old.pk).update(created_at=days_ago(KEEP_UNRUN_DAYS + 1))
    )
    stray = kept_file("vaishali", "left-behind.csv", days_old=KEEP_UNRUN_DAYS + 1)
    recent_stray = kept_file("vaishali", "being-checked.csv", days_old=0)  # a preview not yet committed

    with django_capture_on_commit_callbacks(execute=True), district_context("vaishali"):
        assert district_import_files_prune() == 2
        assert (media / "districts" / "vaishali" / "imports" / old.stored_name).exists()  # until commit
    assert sorted(p.name for p in stored(media)) == sorted([fresh.stored_name, recent_stray.name])
    assert not stray.exists()
    pruned = in_vaishali(lambda: OfficerImport.objects.get(pk=old.pk))
    assert pruned.status == "previewed" and pruned.stored_name == ""
    assert pruned.message == f"The file was removed {KEEP_UNRUN_DAYS} days after it was checked."
    assert pruned.errors == old.errors and errors_by_row(pruned) == {3: {"name"}}  # row errors kept
    assert in_vaishali(lambda: AuditEvent.objects.filter(action="officer_import.prune").count()) == 1
    assert "removed" in admin_client.get(f"/admin/officers/imports/{old.pk}/progress/").json()["message"]
    assert admin_client.get(f"/admin/officers/imports/{old.pk}/errors.csv").status_code == 200

    # Running it asks for the file again instead of failing obscurely; nothing is imported.
    assert admin_client.post(f"/admin/officers/imports/{old.pk}/run/").status_code == 302
    assert run(old, admin).status == "failed"
    failed = in_vaishali(lambda: OfficerImport.objects.get(pk=old.pk))
    assert failed.message == "The checked file is no longer kept; upload it again."
    assert not User.objects.filter(login_id="t.imp.1").exists()
    with district_context("vaishali"):  # a second night changes nothing more
        assert district_import_files_prune() == 0


def test_a_queued_running_or_done_job_is_left_alone(places, media):
    jobs = [kept_job("vaishali", days_old=30, status=status) for status in ("queued", "running", "done")]
    with district_context("vaishali"):
        assert district_import_files_prune() == 0
        for job, path in jobs:
            assert path.exists()
            assert OfficerImport.objects.filter(pk=job.pk, stored_name=job.stored_name, message="").exists()
        assert not AuditEvent.objects.filter(action="officer_import.prune").exists()


def test_prune_takes_now_and_refuses_to_run_outside_a_district(
    places, media, django_capture_on_commit_callbacks
):
    job, path = kept_job("vaishali", days_old=0)
    later = timezone.now() + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True), district_context("vaishali"):
        assert district_import_files_prune(now=later) == 0
        assert district_import_files_prune(now=later + datetime.timedelta(days=KEEP_UNRUN_DAYS)) == 1
    assert not path.exists()
    with pytest.raises(ValueError):
        district_import_files_prune()  # the public schema has no imports folder


def test_one_districts_prune_never_touches_the_others_folder(places, media):
    vaishali_job, vaishali_file = kept_job("vaishali", days_old=10)
    muz_job, muz_file = kept_job(places.muzaffarpur.schema_name, days_old=10)
    muz_stray = kept_file(places.muzaffarpur.schema_name, "left-behind.csv", days_old=10)
    with district_context("vaishali"):
        assert district_import_files_prune() == 1
    assert muz_file.exists() and muz_stray.exists()
    with district_context(places.muzaffarpur.schema_name):
        assert OfficerImport.objects.get(pk=muz_job.pk).stored_name == muz_job.stored_name
        assert not OfficerImport.objects.filter(pk=vaishali_job.pk).exists()


def test_the_nightly_task_prunes_every_district(places, media, django_capture_on_commit_callbacks):
    muzaffarpur = places.muzaffarpur.schema_name
    kept = {schema: kept_job(schema, days_old=KEEP_UNRUN_DAYS + 1) for schema in ("vaishali", muzaffarpur)}
    strays = [kept_file(schema, "left-behind.xlsx", days_old=30) for schema in ("vaishali", muzaffarpur)]

    def nightly_at(hour: int, minute: int) -> bool:
        due = HUEY.read_periodic(datetime.datetime(2025, 3, 12, hour, minute))
        return any(isinstance(task, district_import_files_prune_task.task_class) for task in due)

    assert nightly_at(3, 40) and not nightly_at(3, 30) and not nightly_at(15, 40)
    with django_capture_on_commit_callbacks(execute=True):
        result = district_import_files_prune_task.call_local()
    assert result["vaishali"] == 2 and result[muzaffarpur] == 2
    assert connection.schema_name == "public"
    for schema, (job, path) in kept.items():
        assert not path.exists()
        with district_context(schema):
            assert OfficerImport.objects.get(pk=job.pk).stored_name == ""
    assert not any(path.exists() for path in strays)


@pytest.mark.parametrize("broken", ["vaishali", "muzaffarpur"])
def test_a_district_that_fails_is_logged_and_the_others_still_prune(
    places, media, monkeypatch, caplog, broken, django_capture_on_commit_callbacks
):
    kept = {schema: kept_job(schema, days_old=KEEP_UNRUN_DAYS + 1) for schema in ("vaishali", "muzaffarpur")}
    real = prune.district_import_files_prune

    def prune_or_fail(**kwargs):
        if connection.schema_name == broken:
            raise OSError("disk unreadable")
        return real(**kwargs)

    monkeypatch.setattr(prune, "district_import_files_prune", prune_or_fail)
    with django_capture_on_commit_callbacks(execute=True):
        result = district_import_files_prune_task.call_local()
    other = "muzaffarpur" if broken == "vaishali" else "vaishali"
    assert broken not in result and result[other] == 1
    assert kept[broken][1].exists() and not kept[other][1].exists()
    assert f"not pruned in district {broken}" in caplog.text


def test_a_district_import_takes_no_account_by_login_id_alone_and_names_no_other_account(
    places, admin_client, world
):
    User.objects.filter(login_id="state.staff").update(service_number="BR-STAFF-1")
    rows = [
        officer(1, login_id="muzaffarpur.admin", service_number="BR-NEW-1"),  # has no service number
        officer(2, login_id="t.imp.2", service_number="BR-STAFF-1"),  # platform staff's number
    ]
    job = job_of(upload(admin_client, csv_bytes(rows)))
    assert errors_by_row(job) == {2: {"login_id"}, 3: {"service_number"}}
    messages = " ".join(error["message"] for error in job.errors)
    assert "muzaffarpur.admin" not in messages and "state.staff" not in messages
    assert User.objects.get(login_id="muzaffarpur.admin").service_number == ""


def test_the_job_page_shows_row_errors_with_the_report_link_then_the_counts(places, admin_client, world):
    job = job_of(upload(admin_client, csv_bytes([officer(1), officer(2, mobile="12345")])))
    page = admin_client.get(f"/admin/officers/imports/{job.pk}/").text
    assert f"/admin/officers/imports/{job.pk}/errors.csv" in page
    assert job.errors[0]["message"] in page
    assert "Dry run" in page and "First valid rows" in page and "t.imp.1" in page
    assert "<th>District</th>" not in page  # one district: no district column
    assert admin_client.post(f"/admin/officers/imports/{job.pk}/run/").status_code == 302
    done = run(job, User.objects.get(login_id="vaishali.admin"))
    assert done.status == OfficerImport.Status.DONE
    page = admin_client.get(f"/admin/officers/imports/{job.pk}/").text
    assert "New accounts" in page and "Rows skipped (errors)" in page
    assert 'id="import-bar"' in page and f"/admin/officers/imports/{job.pk}/progress/" in page


def test_a_muzaffarpur_job_is_not_found_on_vaishali_by_its_id(places, admin_client, media):
    """The shared screens look a job up in the district's own scope: another district's job id,
    however it is learnt, gives a 404 on every screen and changes nothing there."""
    with district_context(places.muzaffarpur.schema_name):
        other = OfficerImport.objects.create(filename="muz.csv", sha256="0" * 64, valid_rows=1)
    for tail in ("", "progress/", "errors.csv"):
        assert admin_client.get(f"/admin/officers/imports/{other.pk}/{tail}").status_code == 404, tail
    assert admin_client.post(f"/admin/officers/imports/{other.pk}/run/").status_code == 404
    with district_context(places.muzaffarpur.schema_name):
        assert OfficerImport.objects.get(pk=other.pk).status == OfficerImport.Status.PREVIEWED
        assert not AuditEvent.objects.filter(action__startswith="officer_import.").exists()


def test_a_stalled_district_import_can_be_started_again_and_the_restart_is_in_its_trail(
    places, admin_client, media, monkeypatch
):
    """The one pipeline's stall rule holds for a district's import too: a running job whose worker
    stopped is offered again after STALL_AFTER, and the restart is an event in the district's chain."""
    from core.org.officer_import import services

    job = job_of(upload(admin_client, csv_bytes([officer(1)])))
    assert admin_client.post(f"/admin/officers/imports/{job.pk}/run/").status_code == 302
    in_vaishali(lambda: OfficerImport.objects.filter(pk=job.pk).update(status="running"))
    assert "Stalled" not in admin_client.get(f"/admin/officers/imports/{job.pk}/").text
    later = timezone.now() + services.STALL_AFTER + datetime.timedelta(minutes=1)
    monkeypatch.setattr(services.timezone, "now", lambda: later)
    page = admin_client.get(f"/admin/officers/imports/{job.pk}/").text
    assert "Stalled" in page and "Import the 1 valid row" in page
    assert admin_client.get(f"/admin/officers/imports/{job.pk}/progress/").json()["stalled"] is True
    assert admin_client.post(f"/admin/officers/imports/{job.pk}/run/").status_code == 302
    assert in_vaishali(lambda: OfficerImport.objects.get(pk=job.pk).status) == "queued"
    assert in_vaishali(lambda: AuditEvent.objects.filter(action="officer_import.restart").count()) == 1
    monkeypatch.undo()
    assert run(job, User.objects.get(login_id="vaishali.admin")).status == OfficerImport.Status.DONE
