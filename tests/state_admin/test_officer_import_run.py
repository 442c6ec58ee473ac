"""Officer import, the import itself: accounts, postings, transfers, re-import, progress, 10,000 rows;
and the prune of kept files no import needs."""

import datetime
import io
import os
import time

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Office, Post, Posting
from core.org import services as core_services
from state_admin.models import AuditEvent, ImportJob
from state_admin.services.audit import StaffActor
from state_admin.services.officer_import import KEEP_UNRUN_DAYS, import_files_prune, officer_import_preview
from state_admin.tasks.imports import officer_import_task
from tenants.context import district_context
from tenants.models import District, DistrictMembership, User
from tests.state_admin.conftest import non_staff_clients, refused
from tests.state_admin.test_officer_import import (  # noqa: F401  (fixtures)
    HEADER,
    csv_bytes,
    job_of,
    media,
    officer,
    places,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db


def run(job: ImportJob) -> ImportJob:
    """What the huey consumer does once the POST's transaction commits: the task, here and now."""
    assert officer_import_task.call_local(
        str(job.pk), **StaffActor(user=User.objects.get(login_id="state.staff")).as_task_args()
    )
    job.refresh_from_db()
    return job


def import_file(client, data: bytes, *, district="vaishali", name="officers.csv") -> ImportJob:
    job = job_of(upload(client, data, district=district, name=name))
    response = client.post(f"/imports/{job.pk}/run/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    return run(job)


def postings(district, **filters) -> list[Posting]:
    with district_context(district.schema_name):
        return list(Posting.objects.filter(**filters).select_related("post"))


def membership(person, district) -> int | None:
    found = DistrictMembership.objects.filter(person=person, district=district).first()
    return found.open_postings if found else None


def test_import_makes_accounts_without_passwords_and_posts_them(places, staff_client):
    rows = [
        officer(1, name_hi="राम कुमार सिंह", mobile="+91 98765-43210", rank="DSP", post="SDPO Mahnar"),
        officer(2, name_hi="", mobile="", email="", post="लिपिक महनार"),
        officer(3, mobile="12"),  # skipped: an error
    ]
    job = import_file(staff_client, csv_bytes(rows))
    assert job.status == ImportJob.Status.DONE and job.finished_at
    counts = job.result["imported"]
    assert (counts["new_accounts"], counts["new_postings"], counts["unchanged"], counts["skipped"]) == (
        2,
        2,
        0,
        1,
    )
    assert job.done_rows == 2
    one = User.objects.get(login_id="officer.1")
    assert (one.full_name, one.full_name_hi, one.rank) == ("Officer 1", "राम कुमार सिंह", "DSP")
    assert (one.mobile, one.email, one.service_number) == ("9876543210", "officer.1@example.org", "BR000001")
    assert not one.has_usable_password() and not one.must_set_password and one.is_active
    assert not User.objects.filter(login_id="officer.3").exists()
    held = {
        p.person.login_id: p.post.code
        for p in postings(places.vaishali, person__login_id__startswith="officer.")
    }
    assert held == {"officer.1": "sdpo-mahnar", "officer.2": "mahnar-clerk"}
    assert all(p.starts_on == timezone.localdate() and p.ends_on is None for p in postings(places.vaishali))
    assert membership(one, places.vaishali) == 1
    event = AuditEvent.objects.get(action="officer_import.run")
    assert event.district == places.vaishali and event.details["new_accounts"] == 2
    assert event.actor.login_id == "state.staff"
    # The officer's account can ask for a password-reset link by e-mail.
    assert staff_client.get(f"/imports/{job.pk}/").status_code == 200


def test_hindi_names_round_trip_to_the_page(places, staff_client):
    job = import_file(staff_client, csv_bytes([officer(1, name_hi="सुनीता कुमारी", post="निरीक्षक महनार")]))
    assert User.objects.get(login_id="officer.1").full_name_hi == "सुनीता कुमारी"
    page = staff_client.get(f"/imports/{job.pk}/").content.decode()
    assert '<span lang="hi">सुनीता कुमारी</span>' in page


def test_a_second_click_queues_nothing(places, staff_client):
    job = job_of(upload(staff_client, csv_bytes([officer(1)])))
    assert staff_client.post(f"/imports/{job.pk}/run/").status_code == 302
    response = staff_client.post(f"/imports/{job.pk}/run/", follow=True)
    assert "already been started" in response.content.decode()
    job = run(job)
    assert staff_client.post(f"/imports/{job.pk}/run/").status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert User.objects.filter(login_id="officer.1").count() == 1


def test_reimporting_the_same_file_changes_nothing(places, staff_client):
    data = csv_bytes([officer(n) for n in range(1, 6)])
    first = import_file(staff_client, data)
    assert first.result["imported"]["new_accounts"] == 5
    users, held = User.objects.count(), len(postings(places.vaishali))
    again = job_of(upload(staff_client, data))
    preview = again.result["preview"]
    assert (preview["new_accounts"], preview["new_postings"], preview["unchanged"]) == (0, 0, 5)
    staff_client.post(f"/imports/{again.pk}/run/")
    again = run(again)
    counts = again.result["imported"]
    assert (counts["new_accounts"], counts["new_postings"], counts["transfers"], counts["unchanged"]) == (
        0,
        0,
        0,
        5,
    )
    assert User.objects.count() == users and len(postings(places.vaishali)) == held


def test_blank_details_of_a_known_account_are_filled_never_overwritten(places, staff_client):
    User.objects.create_user("officer.1", None, full_name="Old Name", service_number="BR000001", rank="SI")
    job = import_file(staff_client, csv_bytes([officer(1, rank="Inspector", name_hi="राम")]))
    person = User.objects.get(login_id="officer.1")
    assert (person.full_name, person.rank, person.full_name_hi, person.mobile) == (
        "Old Name",
        "SI",
        "राम",
        "9800000001",
    )
    assert job.result["imported"]["new_accounts"] == 0 and job.result["imported"]["new_postings"] == 1


def test_transfer_between_districts_keeps_one_account_and_ends_the_old_posting(places, staff_client):
    import_file(staff_client, csv_bytes([officer(7, post="sdpo-mahnar")]))
    person = User.objects.get(login_id="officer.7")
    assert membership(person, places.vaishali) == 1
    moved = officer(7, office="sdpo-west", post="SDPO West", name_hi="")
    job = job_of(upload(staff_client, csv_bytes([moved]), district="muzaffarpur"))
    assert job.result["preview"]["transfers"] == 1 and job.result["preview"]["new_accounts"] == 0
    staff_client.post(f"/imports/{job.pk}/run/")
    job = run(job)
    assert job.result["imported"]["transfers"] == 1
    assert User.objects.filter(service_number="BR000007").count() == 1
    (old,) = postings(places.vaishali, person=person)
    assert old.ends_on == timezone.localdate() and old.post.code == "sdpo-mahnar"
    (new,) = postings(places.muzaffarpur, person=person)
    assert new.ends_on is None and new.post.code == "sdpo-west"
    assert membership(person, places.vaishali) == 0 and membership(person, places.muzaffarpur) == 1
    event = AuditEvent.objects.get(action="officer.transfer")
    assert event.district == places.muzaffarpur and event.details["old_district"] == "vaishali"
    assert event.target == "officer.7"
    # Importing the same move again is no second transfer.
    again = job_of(upload(staff_client, csv_bytes([moved]), district="muzaffarpur"))
    staff_client.post(f"/imports/{again.pk}/run/")
    again = run(again)
    assert again.result["imported"]["transfers"] == 0 and again.result["imported"]["unchanged"] == 1
    assert AuditEvent.objects.filter(action="officer.transfer").count() == 1


def test_an_import_into_one_district_leaves_the_other_alone(places, staff_client, world):
    with district_context(world.muzaffarpur.schema_name):
        before = list(Posting.objects.order_by("pk").values_list("pk", "person_id", "post_id", "ends_on"))
    members = list(
        DistrictMembership.objects.filter(district=world.muzaffarpur).values_list(
            "person_id", "open_postings"
        )
    )
    import_file(staff_client, csv_bytes([officer(n) for n in range(1, 4)]))
    with district_context(world.muzaffarpur.schema_name):
        after = list(Posting.objects.order_by("pk").values_list("pk", "person_id", "post_id", "ends_on"))
    assert after == before
    assert (
        list(
            DistrictMembership.objects.filter(district=world.muzaffarpur).values_list(
                "person_id", "open_postings"
            )
        )
        == members
    )
    # A name of Muzaffarpur's office means nothing in Vaishali.
    job = job_of(upload(staff_client, csv_bytes([officer(9, office="sdpo-west", post="sdpo-west")])))
    assert {e["column"] for e in job.errors} == {"office"}


def test_xlsx_file_imports_with_numbers_in_cells(places, staff_client):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["Login ID", "Name", "Name (Hindi)", "Rank", "Service Number", "Mobile", "Email", "Office", "Post"]
    )
    sheet.append(
        [
            "officer.21",
            "Anil Kumar",
            "अनिल कुमार",
            "SI",
            4521,
            9123456780,
            None,
            "SDPO Office Mahnar",
            "Clerk Mahnar",
        ]
    )
    sheet.append([None] * 9)
    sheet.append(
        [
            "officer.22",
            "Meena Devi",
            "मीना देवी",
            "ASI",
            "BR-22",
            "+91 91234 56781",
            "meena@example.org",
            "sdpo-mahnar",
            "mahnar-si-22",  # a post has one holder: not the clerk's post of row 2
        ]
    )
    out = io.BytesIO()
    book.save(out)
    job = import_file(staff_client, out.getvalue(), name="officers.xlsx")
    assert job.stored_name.endswith(".xlsx") and job.errors == []
    assert job.result["imported"]["new_accounts"] == 2
    anil = User.objects.get(login_id="officer.21")
    assert (anil.service_number, anil.mobile, anil.full_name_hi, anil.email) == (
        "4521",
        "9123456780",
        "अनिल कुमार",
        "",
    )
    assert User.objects.get(login_id="officer.22").full_name_hi == "मीना देवी"


def test_progress_json_follows_the_job(places, staff_client):
    job = job_of(upload(staff_client, csv_bytes([officer(1), officer(2)])))
    staff_client.post(f"/imports/{job.pk}/run/")
    queued = staff_client.get(f"/imports/{job.pk}/progress/").json()
    assert (queued["status"], queued["percent"], queued["total"], queued["finished"]) == (
        "queued",
        0,
        2,
        False,
    )
    page = staff_client.get(f"/imports/{job.pk}/").content.decode()
    assert "<progress" in page and f"/imports/{job.pk}/progress/" in page
    run(job)
    done = staff_client.get(f"/imports/{job.pk}/progress/").json()
    assert (done["status"], done["step"], done["done"], done["percent"], done["finished"]) == (
        "done",
        "done",
        2,
        100,
        True,
    )
    assert done["imported"]["new_accounts"] == 2
    for client in non_staff_clients().values():
        assert refused(client.get(f"/imports/{job.pk}/progress/"))


def test_confirming_queues_the_task_as_the_staff_member_once_committed(
    places, staff_client, monkeypatch, django_capture_on_commit_callbacks
):
    import state_admin.services.officer_import as scope  # the state scope queues its task

    queued = []
    monkeypatch.setattr(scope, "officer_import_task", lambda *args, **kwargs: queued.append((args, kwargs)))
    job = job_of(upload(staff_client, csv_bytes([officer(1)])))
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/imports/{job.pk}/run/")
    ((args, kwargs),) = queued
    assert args == (str(job.pk),) and kwargs["actor_id"] == places.staff.pk
    monkeypatch.undo()
    assert officer_import_task.call_local(*args, **kwargs)
    assert AuditEvent.objects.get(action="officer_import.run").actor == places.staff


def test_a_failed_import_says_why_and_can_be_run_again(places, staff_client, settings):
    job = job_of(upload(staff_client, csv_bytes([officer(1), officer(2)])))
    staff_client.post(f"/imports/{job.pk}/run/")
    stored = settings.MEDIA_ROOT / "state" / "imports" / job.stored_name
    data = stored.read_bytes()
    stored.write_bytes(data.replace(b"Officer 1", b"Officer X"))
    assert officer_import_task.call_local(str(job.pk)) is False
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "changed" in job.message
    assert not User.objects.filter(login_id__startswith="officer.").exists()
    page = staff_client.get(f"/imports/{job.pk}/").content.decode()
    assert "changed" in page and "Import the 2 valid rows" in page
    stored.write_bytes(data)
    staff_client.post(f"/imports/{job.pk}/run/")
    assert run(job).status == ImportJob.Status.DONE
    assert User.objects.filter(login_id__startswith="officer.").count() == 2


def test_each_row_names_its_district_and_is_posted_there(places, staff_client):
    header = [*HEADER, "district"]
    rows = [
        officer(1, district="वैशाली"),
        officer(2, district="muzaffarpur", office="sdpo-west", post="एसडीपीओ पश्चिम"),
    ]
    job = import_file(staff_client, csv_bytes(rows, header=header), district="__each_row__")
    assert job.result["imported"]["new_postings"] == 2
    (one,) = postings(places.vaishali, person__login_id="officer.1")
    (two,) = postings(places.muzaffarpur, person__login_id="officer.2")
    assert (one.post.code, two.post.code) == ("mahnar-si-1", "sdpo-west")
    assert not postings(places.muzaffarpur, person__login_id="officer.1")
    assert AuditEvent.objects.get(action="officer_import.run").district is None


def test_a_task_for_a_job_that_is_gone_does_nothing(places):
    import uuid

    assert officer_import_task.call_local(str(uuid.uuid4())) is False


@pytest.mark.parametrize("status", [District.Status.ARCHIVED, District.Status.SUSPENDED])
def test_a_district_no_longer_live_at_run_time_is_refused(places, staff_client, status):
    job = job_of(upload(staff_client, csv_bytes([officer(1), officer(2)])))
    staff_client.post(f"/imports/{job.pk}/run/")
    held = len(postings(places.vaishali))
    District.objects.filter(pk=places.vaishali.pk).update(status=status)  # after the dry run
    assert officer_import_task.call_local(str(job.pk)) is False
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "no longer live" in job.message
    assert "Vaishali" in job.message
    assert len(postings(places.vaishali)) == held
    assert not User.objects.filter(login_id__startswith="officer.").exists()
    assert not AuditEvent.objects.filter(action="officer_import.run").exists()
    assert "no longer live" in staff_client.get(f"/imports/{job.pk}/").content.decode()


def test_any_rows_district_no_longer_live_fails_the_whole_job(places, staff_client):
    header = [*HEADER, "district"]
    rows = [officer(1, district="vaishali"), officer(2, district="muzaffarpur", office="sdpo-west")]
    rows[1]["post"] = "sdpo-west"
    job = job_of(upload(staff_client, csv_bytes(rows, header=header), district="__each_row__"))
    assert job.valid_rows == 2
    staff_client.post(f"/imports/{job.pk}/run/")
    District.objects.filter(pk=places.muzaffarpur.pk).update(status=District.Status.SUSPENDED)
    assert officer_import_task.call_local(str(job.pk)) is False
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "Muzaffarpur" in job.message
    assert not User.objects.filter(login_id__startswith="officer.").exists()
    assert not postings(places.vaishali, person__login_id__startswith="officer.")


def _later(monkeypatch, minutes: int) -> None:
    """The clock the import module reads, moved on by some minutes."""
    import core.org.officer_import.services as service

    moved = timezone.now() + datetime.timedelta(minutes=minutes)
    monkeypatch.setattr(service.timezone, "now", lambda: moved)


def _crash_mid_run(monkeypatch, job: ImportJob) -> None:
    """A worker that dies inside the first chunk: the job is left running, its chunk rolled back."""
    import core.org.officer_import.services as service

    class WorkerKilled(BaseException):
        pass

    def die(*args, **kwargs):
        raise WorkerKilled

    with monkeypatch.context() as patch:
        patch.setattr(service, "_chunk_import", die)
        with pytest.raises(WorkerKilled):
            officer_import_task.call_local(str(job.pk))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING


def test_a_stalled_import_is_shown_and_can_be_started_again(places, staff_client, monkeypatch):
    job = job_of(upload(staff_client, csv_bytes([officer(1), officer(2)])))
    staff_client.post(f"/imports/{job.pk}/run/")
    _crash_mid_run(monkeypatch, job)
    # Still fresh: it may be working, so it is not offered again.
    page = staff_client.get(f"/imports/{job.pk}/").content.decode()
    assert "stalled" not in page.lower() and "Import the 2 valid rows" not in page
    response = staff_client.post(f"/imports/{job.pk}/run/", follow=True)
    assert "already been started" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING
    _later(monkeypatch, 16)
    page = staff_client.get(f"/imports/{job.pk}/").content.decode()
    assert "Stalled" in page and "Import the 2 valid rows" in page
    assert staff_client.get(f"/imports/{job.pk}/progress/").json()["stalled"] is True
    assert "Stalled" in staff_client.get("/imports/").content.decode()
    for client in non_staff_clients().values():
        assert refused(client.post(f"/imports/{job.pk}/run/"))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING
    assert staff_client.post(f"/imports/{job.pk}/run/").status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    assert AuditEvent.objects.get(action="officer_import.restart").details["job"] == str(job.pk)
    monkeypatch.undo()
    assert run(job).status == ImportJob.Status.DONE
    assert User.objects.filter(login_id__startswith="officer.").count() == 2
    assert len(postings(places.vaishali, person__login_id__startswith="officer.")) == 2


def test_a_restarted_import_stops_the_old_worker_from_writing(places, staff_client, monkeypatch):
    import core.org.officer_import.services as pipeline
    import state_admin.services.officer_import as service

    job = job_of(upload(staff_client, csv_bytes([officer(1)])))
    staff_client.post(f"/imports/{job.pk}/run/")
    real_rows_check = pipeline.rows_check

    def worker_wakes_after_a_restart(**kwargs):
        # The worker hung for 16 minutes while checking; meanwhile staff started the job again.
        with monkeypatch.context() as patch:
            _later(patch, 16)
            service.officer_import_enqueue(actor=StaffActor(user=places.staff), job=job)
        return real_rows_check(**kwargs)

    monkeypatch.setattr(pipeline, "rows_check", worker_wakes_after_a_restart)
    assert officer_import_task.call_local(str(job.pk)) is False
    job.refresh_from_db()
    # The old run wrote nothing more and left the job to the new run.
    assert job.status == ImportJob.Status.QUEUED and job.message == ""
    assert not User.objects.filter(login_id="officer.1").exists()
    monkeypatch.undo()
    assert run(job).status == ImportJob.Status.DONE
    assert User.objects.filter(login_id="officer.1").count() == 1


def test_the_stored_file_is_deleted_once_the_import_is_done(
    places, staff_client, settings, django_capture_on_commit_callbacks
):
    job = job_of(upload(staff_client, csv_bytes([officer(1), officer(2, mobile="12")])))
    stored = settings.MEDIA_ROOT / "state" / "imports" / job.stored_name
    assert stored.exists()
    staff_client.post(f"/imports/{job.pk}/run/")
    assert stored.exists()  # queued: still needed
    with django_capture_on_commit_callbacks(execute=True):
        job = run(job)
    assert job.status == ImportJob.Status.DONE
    assert not stored.exists() and stored_files(settings) == []
    report = staff_client.get(f"/imports/{job.pk}/errors.csv")
    assert report.status_code == 200
    assert "mobile" in report.content.decode("utf-8-sig") and "12" in report.content.decode("utf-8-sig")
    assert staff_client.get(f"/imports/{job.pk}/").status_code == 200


def test_a_failed_import_keeps_its_file_to_run_again(
    places, staff_client, settings, django_capture_on_commit_callbacks
):
    job = job_of(upload(staff_client, csv_bytes([officer(1)])))
    staff_client.post(f"/imports/{job.pk}/run/")
    District.objects.filter(pk=places.vaishali.pk).update(status=District.Status.SUSPENDED)
    with django_capture_on_commit_callbacks(execute=True):
        assert officer_import_task.call_local(str(job.pk)) is False
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert [path.name for path in stored_files(settings)] == [job.stored_name]


# --- 10,000 rows -------------------------------------------------------------------------------

BIG = 10_000


@pytest.fixture(scope="module")
def big_file() -> bytes:
    rows = [
        officer(
            n, office=f"office-{n % 10}", post=f"post-{n % 10}-{n}", name_hi="अधिकारी", mobile=f"9{n:09d}"
        )
        for n in range(1, BIG + 1)
    ]
    return csv_bytes(rows)


@pytest.fixture
def big_places(places):
    with district_context(places.vaishali.schema_name):
        for i in range(10):
            office = core_services.office_create(
                code=f"office-{i}", name=f"Office {i}", kind=Office.Kind.THANA
            )
            # A post has one holder: each officer of the file has their own.
            Post.objects.bulk_create(
                Post(office=office, code=f"post-{i}-{n}", title=f"Post {i}.{n}", kind=Post.Kind.SI)
                for n in range(i or 10, BIG + 1, 10)
            )
    return places


def test_ten_thousand_rows_preview_clean_in_a_few_queries(big_places, big_file):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        job = officer_import_preview(
            actor=StaffActor(user=big_places.staff),
            filename="big.csv",
            data=big_file,
            district=big_places.vaishali,
        )
        seconds = time.perf_counter() - started
    assert (job.total_rows, job.valid_rows, job.errors) == (BIG, BIG, [])
    assert job.result["preview"]["new_accounts"] == BIG
    assert len(queries) < 40, [q["sql"][:120] for q in queries]
    assert seconds < 30


def test_ten_thousand_rows_import_and_reimport_nothing(big_places, big_file):
    actor = StaffActor(user=big_places.staff)
    job = officer_import_preview(actor=actor, filename="big.csv", data=big_file, district=big_places.vaishali)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
    started = time.perf_counter()
    assert officer_import_task.call_local(str(job.pk), **actor.as_task_args())
    assert time.perf_counter() - started < 60
    job.refresh_from_db()
    assert job.done_rows == BIG and job.result["imported"]["new_accounts"] == BIG
    assert User.objects.filter(login_id__startswith="officer.").count() == BIG
    assert len(postings(big_places.vaishali, person__login_id__startswith="officer.")) == BIG
    assert DistrictMembership.objects.filter(district=big_places.vaishali, open_postings=1).count() >= BIG
    again = officer_import_preview(
        actor=actor, filename="big.csv", data=big_file, district=big_places.vaishali
    )
    assert again.result["preview"]["unchanged"] == BIG
    ImportJob.objects.filter(pk=again.pk).update(status=ImportJob.Status.QUEUED)
    with CaptureQueriesContext(connection) as queries:
        assert officer_import_task.call_local(str(again.pk), **actor.as_task_args())
    again.refresh_from_db()
    assert again.result["imported"]["unchanged"] == BIG and again.result["imported"]["new_postings"] == 0
    assert not [
        q
        for q in queries
        if q["sql"].startswith(('INSERT INTO "tenants_user"', 'INSERT INTO "core_posting"'))
    ]


def test_the_job_page_shows_row_errors_with_the_report_link_then_the_counts(places, staff_client):
    job = job_of(upload(staff_client, csv_bytes([officer(1), officer(2, mobile="12345")])))
    page = staff_client.get(f"/imports/{job.pk}/").text
    assert f"/imports/{job.pk}/errors.csv" in page and job.errors[0]["message"] in page
    assert "Dry run" in page and "First valid rows" in page and "<th>District</th>" in page
    assert staff_client.post(f"/imports/{job.pk}/run/").status_code == 302
    job.refresh_from_db()
    run(job)
    page = staff_client.get(f"/imports/{job.pk}/").text
    assert "New accounts" in page and "Rows skipped (errors)" in page
    assert 'id="import-bar"' in page and f"/imports/{job.pk}/progress/" in page


# Uploaded officer files (personal data) do not outlive the import that needs them.


def test_files_of_imports_never_run_go_after_a_week_and_the_job_says_so(
    places, staff_client, settings, django_capture_on_commit_callbacks
):
    old = job_of(upload(staff_client, csv_bytes([officer(1)])))
    fresh = job_of(upload(staff_client, csv_bytes([officer(2)])))
    ImportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=KEEP_UNRUN_DAYS + 1)
    )
    week_ago = (timezone.now() - datetime.timedelta(days=KEEP_UNRUN_DAYS + 1)).timestamp()
    os.utime(settings.MEDIA_ROOT / "state" / "imports" / old.stored_name, (week_ago, week_ago))
    stray = settings.MEDIA_ROOT / "state" / "imports" / "left-behind.csv"
    stray.write_bytes(b"login_id\n")
    os.utime(stray, (week_ago, week_ago))

    with django_capture_on_commit_callbacks(execute=True):  # files go once the job rows commit
        assert import_files_prune() == 2
    old.refresh_from_db()
    assert old.stored_name == "" and "removed" in old.message
    assert [path.name for path in stored_files(settings)] == [fresh.stored_name]

    # Running the pruned job asks for the file again instead of failing obscurely.
    assert staff_client.post(f"/imports/{old.pk}/run/").status_code == 302
    assert officer_import_task.call_local(str(old.pk)) is False
    old.refresh_from_db()
    assert old.status == ImportJob.Status.FAILED and "upload it again" in old.message


def test_a_job_that_is_running_or_done_is_left_alone(places, staff_client, settings):
    job = job_of(upload(staff_client, csv_bytes([officer(3)])))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, created_at=timezone.now() - datetime.timedelta(days=30)
    )
    assert import_files_prune() == 0
    job.refresh_from_db()
    assert job.stored_name and [p.name for p in stored_files(settings)] == [job.stored_name]
