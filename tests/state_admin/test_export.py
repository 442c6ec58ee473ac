"""District exports: the archive (members, checksums, no secrets), its download, its restore into
a fresh database with equal row counts, and deleting a district only after a verified export.

The district these tests export is Sheohar, provisioned and committed once for this module (pg_dump
and the restore subprocess read committed data) and removed again at the end; Vaishali and
Muzaffarpur are never changed. Files go to a temporary MEDIA_ROOT.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_exists

from core.models import Office, Post
from core.org import services as core_services
from state_admin.models import AuditEvent, ExportJob
from state_admin.services import export as export_service
from state_admin.services import export_archive
from state_admin.services.audit import StaffActor
from state_admin.services.export import district_export_build
from state_admin.services.export_archive import ArchiveError, exports_dir, schema_row_counts, sha256_of
from state_admin.services.export_restore import district_export_verify
from state_admin.services.lifecycle import district_archive, district_suspend
from state_admin.services.provisioning import DistrictSpec, district_provision
from state_admin.tasks.exports import district_export_task
from tenants import schemas
from tenants.context import district_context
from tenants.models import District, DistrictMembership, User
from tenants.services import person_get_or_create
from tenants.storage import district_media_dir
from tests.helpers import PASSWORD, empty_database
from tests.state_admin.conftest import non_staff_clients, refused

PROJECT = Path(__file__).resolve().parents[2]
SLUG = "sheohar"
FILE_BYTES = "FIR 12/2025 — शिवहर\n".encode() * 100

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=root):
        yield root


@pytest.fixture(scope="module")
def sheohar(world, media_root, django_db_blocker):
    """A committed district with an officer, an office, a closed posting and two files."""
    with django_db_blocker.unblock():
        district = district_provision(
            spec=DistrictSpec(slug=SLUG, name="Sheohar", name_hi="शिवहर", range_name="Tirhut")
        )
        officer, _ = person_get_or_create(
            login_id="sdpo.sheohar", full_name="SDPO Sheohar", email="sdpo.sheohar@example.org",
            password=PASSWORD, must_set_password=False,
        )  # fmt: skip
        User.objects.filter(pk=officer.pk).update(service_number="BR-SH-1", rank="DSP", mobile="9800000001")
        with district_context(district.schema_name):
            office = core_services.office_create(
                code="sdpo-sheohar", name="SDPO Sheohar", kind=Office.Kind.SDPO
            )
            post = core_services.post_create(office=office, code="sdpo", title="SDPO", kind=Post.Kind.SDPO)
            clerk = core_services.post_create(
                office=office, code="clerk", title="Clerk", kind=Post.Kind.CLERK
            )
            core_services.posting_start(person=officer, post=post)
            core_services.posting_end(posting=core_services.posting_start(person=officer, post=clerk))
        _media_files_write(district_media_dir(district.schema_name))
        connection.set_schema_to_public()
        district = District.objects.get(pk=district.pk)
    yield district
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        for left in District.objects.filter(slug=SLUG):
            schemas.schema_drop(left.schema_name)
            left.domains.all().delete()
            left.delete()
        ExportJob.objects.filter(district_slug=SLUG).delete()
        AuditEvent.objects.filter(district_slug=SLUG).delete()
        officer = User.objects.filter(login_id="sdpo.sheohar")
        DistrictMembership.objects.filter(person__in=officer).delete()
        officer._raw_delete(officer.db)  # its postings went with the schema
    shutil.rmtree(media_root, ignore_errors=True)


def _media_files_write(media: Path) -> None:
    (media / "receipts" / "2025").mkdir(parents=True, exist_ok=True)
    (media / "receipts" / "2025" / "fir-12.txt").write_bytes(FILE_BYTES)
    (media / "note.txt").write_text("hello")


def _actor(world) -> StaffActor:
    return StaffActor(user=world.staff)


def _built(world, district: District) -> ExportJob:
    job = ExportJob.objects.create(district=district, district_slug=district.slug, created_by=world.staff)
    job = district_export_build(job_id=job.pk)
    assert job.status == ExportJob.Status.DONE, job.message
    return job


def _members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: (tar.extractfile(m).read() if m.isfile() else b"") for m in tar.getmembers()}


# --- Asking for an export: staff only -----------------------------------------------------------


def test_staff_post_enqueues_the_task_on_commit_and_the_task_builds(
    world, sheohar, staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff_client.post(f"/districts/{SLUG}/exports/")
    assert response.status_code == 302 and response.url == f"/districts/{SLUG}/lifecycle/"
    job = ExportJob.objects.get(district_slug=SLUG)
    assert job.status == ExportJob.Status.QUEUED and job.created_by == world.staff
    assert AuditEvent.objects.filter(action="district.export", target=str(job.pk)).exists()
    assert len(callbacks) == 1
    assert "Queued" in staff_client.get(f"/districts/{SLUG}/lifecycle/").text

    assert district_export_task.call_local(str(job.pk)) == ExportJob.Status.DONE
    job.refresh_from_db()
    path = exports_dir() / f"{job.pk}.tar.gz"
    assert job.stored_name == path.name and path.is_file()
    assert job.sha256 == sha256_of(path) and job.size == path.stat().st_size
    # A second delivery of the task changes nothing.
    assert district_export_task.call_local(str(job.pk)) == ExportJob.Status.DONE
    assert district_export_task.call_local(str(uuid.uuid4())) is None
    page = staff_client.get(f"/districts/{SLUG}/lifecycle/").text
    assert job.sha256 in page and f"/districts/{SLUG}/exports/{job.pk}/download" in page
    path.unlink()


def test_non_staff_cannot_export_or_download(world, sheohar):
    job = _built(world, sheohar)
    try:
        for who, client in non_staff_clients().items():
            assert refused(client.post(f"/districts/{SLUG}/exports/")), who
            assert refused(client.get(f"/districts/{SLUG}/exports/{job.pk}/download")), who
            assert refused(client.get(f"/districts/{SLUG}/lifecycle/")), who
        assert ExportJob.objects.filter(district_slug=SLUG).count() == 1
        assert not AuditEvent.objects.filter(action="district.export_download").exists()
    finally:
        export_service.export_remove_file(job)


def test_archive_has_the_right_members_checksums_and_no_secrets(world, sheohar):
    job = _built(world, sheohar)
    path = exports_dir() / job.stored_name
    members = _members(path)
    assert {"manifest.json", "schema.sql", "district.json", "accounts.json", "files"} <= set(members)
    assert members["files/receipts/2025/fir-12.txt"] == FILE_BYTES
    assert members["files/note.txt"] == b"hello"
    manifest = json.loads(members["manifest.json"])
    for name, digest in manifest["members"].items():
        assert hashlib.sha256(members[name]).hexdigest() == digest, name
    assert set(manifest["members"]) == {n for n, m in members.items() if n not in ("manifest.json", "files")}
    with connection.cursor() as cursor:
        assert manifest["row_counts"] == schema_row_counts(cursor, "sheohar") == job.row_counts
    assert manifest["row_counts"]["core_posting"] == 2 and manifest["row_counts"]["core_office"] == 2
    assert "0001_initial" in manifest["migrations"]["core"] and manifest["created_at"]
    schema_sql = members["schema.sql"].decode()
    assert (
        "CREATE SCHEMA sheohar" in schema_sql and "OWNER TO" not in schema_sql and "GRANT " not in schema_sql
    )
    assert "vaishali" not in schema_sql and "muzaffarpur" not in schema_sql

    district = json.loads(members["district.json"])
    assert (
        district["slug"] == SLUG and district["name_hi"] == "शिवहर" and district["range"]["name"] == "Tirhut"
    )
    assert district["domains"] == [{"domain": "sheohar.localhost", "is_primary": True}]
    accounts = json.loads(members["accounts.json"])
    officer = next(a for a in accounts if a["login_id"] == "sdpo.sheohar")
    assert (
        officer["service_number"] == "BR-SH-1"
        and officer["rank"] == "DSP"
        and officer["mobile"] == "9800000001"
    )
    assert set(officer) == {
        "id",
        "login_id",
        "full_name",
        "full_name_hi",
        "email",
        "service_number",
        "rank",
        "mobile",
    }
    assert "sdpo.mahua" not in members["accounts.json"].decode()
    assert "md5$" not in members["accounts.json"].decode()
    export_service.export_remove_file(job)


def test_staff_download_is_an_audited_attachment(world, sheohar, staff_client):
    job = _built(world, sheohar)
    response = staff_client.get(f"/districts/{SLUG}/exports/{job.pk}/download")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == job.sha256
    event = AuditEvent.objects.get(action="district.export_download")
    assert event.actor_login == "state.staff" and event.details["sha256"] == job.sha256
    assert staff_client.get(f"/districts/vaishali/exports/{job.pk}/download").status_code == 404
    export_service.export_remove_file(job)
    assert staff_client.get(f"/districts/{SLUG}/exports/{job.pk}/download").status_code == 404


def test_failed_build_leaves_no_half_archive_and_says_why(world, sheohar, monkeypatch):
    def broken(args, *, what):
        Path(str(args[-1]).removeprefix("--file=")).write_text("partial")
        raise ArchiveError(f"{what} failed (1): disk full")

    monkeypatch.setattr(export_service, "run_pg", broken)
    job = ExportJob.objects.create(district=sheohar, district_slug=SLUG)
    job = district_export_build(job_id=job.pk)
    assert job.status == ExportJob.Status.FAILED and "disk full" in job.message
    assert not job.stored_name and not job.sha256
    assert not [p.name for p in exports_dir().iterdir() if str(job.pk) in p.name or p.name.startswith(".")]


def test_missing_pg_dump_is_a_clear_error_on_the_job(world, sheohar, monkeypatch):
    export_archive.pg_program.cache_clear()
    monkeypatch.setattr(export_archive, "_candidates", lambda name: [])
    job = ExportJob.objects.create(district=sheohar, district_slug=SLUG)
    job = district_export_build(job_id=job.pk)
    export_archive.pg_program.cache_clear()
    assert job.status == ExportJob.Status.FAILED
    assert "No pg_dump" in job.message and "pg_config" in job.message


def test_planned_district_cannot_be_exported(world, staff_client):
    District.objects.create(slug="sitamarhi", schema_name="sitamarhi", name="Sitamarhi")
    response = staff_client.post("/districts/sitamarhi/exports/")
    assert response.status_code == 400 and "no data to export" in response.text
    assert not ExportJob.objects.filter(district_slug="sitamarhi").exists()


def test_export_command_prints_path_and_checksum(world, sheohar, capsys):
    call_command("district_export", SLUG, "--by", "state.staff")
    out = capsys.readouterr().out
    job = ExportJob.objects.get(district_slug=SLUG)
    assert f"sha256: {job.sha256}" in out and str(exports_dir() / job.stored_name) in out
    export_service.export_remove_file(job)


# --- Restore into a fresh database ---------------------------------------------------------------


@pytest.fixture
def fresh_database(world):
    with empty_database("restore") as made:
        yield made


def _manage(url: str, media: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "KARYALAY_NO_EMBEDDED_START": "1", "KARYALAY_MEDIA_ROOT": str(media),
           "DJANGO_SETTINGS_MODULE": "config.settings", **extra_env}  # fmt: skip
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=env, capture_output=True, text=True
    )


def _as_user(url: str, user: str) -> str:
    """The same database URL for another role (no password: the test server trusts its clients)."""
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{user}@{rest.split('@', 1)[1] if '@' in rest else rest}"


def _counts_in(params: dict, schema: str) -> dict[str, int]:
    with psycopg.connect(**params) as conn, conn.cursor() as cursor:
        return schema_row_counts(cursor, schema)


def _broken_copy(archive: Path, into: Path) -> Path:
    """The same archive with a schema.sql that fails half-way, its manifest updated to match."""
    work = into / "broken"
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(work, filter="data")
    with open(work / "schema.sql", "a") as handle:
        handle.write("\nSELECT 1/0;\n")
    manifest = json.loads((work / "manifest.json").read_text())
    manifest["members"]["schema.sql"] = sha256_of(work / "schema.sql")
    (work / "manifest.json").write_text(json.dumps(manifest))
    broken = into / "broken.tar.gz"
    with tarfile.open(broken, "w:gz") as tar:
        for child in sorted(work.iterdir()):
            tar.add(child, arcname=child.name)
    return broken


def test_archive_restores_into_a_fresh_database_with_equal_row_counts(
    world, sheohar, fresh_database, tmp_path, capsys
):
    url, params = fresh_database
    started = time.monotonic()
    job = _built(world, sheohar)
    export_seconds = time.monotonic() - started
    archive = exports_dir() / job.stored_name
    media = tmp_path / "restored-media"

    migrate = _manage(url, media, "migrate", "--verbosity", "0")
    assert migrate.returncode == 0, migrate.stderr[-2000:]

    # A wrong checksum, and a schema.sql that fails half-way: refused, nothing kept.
    wrong = _manage(url, media, "district_restore", str(archive), "--sha256", "0" * 64)
    assert wrong.returncode != 0 and "SHA-256" in wrong.stderr
    broken = _manage(url, media, "district_restore", str(_broken_copy(archive, tmp_path)))
    assert broken.returncode != 0 and "division by zero" in broken.stderr
    with psycopg.connect(**params) as conn:
        assert conn.execute("SELECT count(*) FROM tenants_district").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM tenants_user").fetchone()[0] == 0
        assert not conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = 'sheohar'").fetchone()
    assert not (media / "districts" / "sheohar").exists()

    # An account here with the officer's id but another login ID is a clash: refused, nothing kept.
    officer = User.objects.get(login_id="sdpo.sheohar")
    with psycopg.connect(**params) as conn:
        conn.execute(
            "INSERT INTO tenants_user (id, password, is_superuser, login_id, email, service_number, rank, "
            "mobile, full_name, full_name_hi, is_active, is_staff, must_set_password, date_joined, language) "
            "VALUES (%s, '!', false, 'someone.else', '', '', '', '', '', '', true, false, false, now(), '')",
            [officer.pk],
        )
    clash = _manage(url, media, "district_restore", str(archive))
    assert clash.returncode != 0 and "someone.else" in clash.stderr
    with psycopg.connect(**params) as conn:
        assert conn.execute("SELECT count(*) FROM tenants_district").fetchone()[0] == 0
        conn.execute("DELETE FROM tenants_user WHERE id = %s", [officer.pk])

    # As in production: the roles made, the command run with the app role's URL and the owner's
    # (manage.py connects district_restore as the owner); the restored audit table stays
    # append-only for the app role although the owner's default privileges grant it everything.
    roles = _manage(url, media, "db_roles")
    assert roles.returncode == 0, roles.stderr[-2000:]
    started = time.monotonic()
    restored = _manage(
        _as_user(url, "karyalay_app"), media, "district_restore", str(archive), "--sha256", job.sha256,
        KARYALAY_OWNER_DATABASE_URL=_as_user(url, "karyalay_owner"),
    )  # fmt: skip
    restore_seconds = time.monotonic() - started
    assert restored.returncode == 0, restored.stderr[-3000:]
    assert _counts_in(params, "sheohar") == job.row_counts
    with connection.cursor() as cursor:
        assert schema_row_counts(cursor, "sheohar") == job.row_counts
    for table, count in job.row_counts.items():
        assert f"{table}\t{count}\t(manifest {count})" in restored.stdout
    assert "accounts: 1 created, 0 reused" in restored.stdout
    with psycopg.connect(**params) as conn:
        row = conn.execute(
            "SELECT id, service_number, mobile, password LIKE '!%' FROM tenants_user WHERE login_id = 'sdpo.sheohar'"
        ).fetchone()
        assert row == (officer.pk, "BR-SH-1", "9800000001", True)  # original id; no usable password
        district = conn.execute("SELECT id, status FROM tenants_district WHERE slug = 'sheohar'").fetchone()
        assert district[1] == "live"
        assert conn.execute("SELECT domain FROM tenants_domain").fetchone() == ("sheohar.localhost",)
        assert conn.execute(
            "SELECT open_postings FROM tenants_districtmembership WHERE person_id = %s", [officer.pk]
        ).fetchone() == (1,)
        assert conn.execute("SELECT action FROM state_admin_auditevent").fetchone() == ("district.restore",)
    assert (media / "districts" / "sheohar" / "receipts" / "2025" / "fir-12.txt").read_bytes() == FILE_BYTES
    with psycopg.connect(**params) as conn:
        assert conn.execute(
            "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'sheohar.core_auditevent'::regclass"
        ).fetchone() == ("karyalay_owner",)
        rights = [
            ("sheohar.core_auditevent", "INSERT"), ("sheohar.core_auditevent", "UPDATE"),
            ("sheohar.core_auditevent", "DELETE"), ("sheohar.core_auditevent", "TRUNCATE"),
            ("sheohar.core_office", "UPDATE"),
        ]  # fmt: skip
        found = [
            conn.execute("SELECT has_table_privilege('karyalay_app', %s, %s)", right).fetchone()[0]
            for right in rights
        ]
        assert found == [True, False, False, False, True]

    again = _manage(url, media, "district_restore", str(archive))
    assert again.returncode != 0 and "already exists" in again.stderr
    with capsys.disabled():
        print(
            f"\n[export] {export_seconds:.2f} s, {job.size} bytes; "
            f"[restore] {restore_seconds:.2f} s (subprocess, incl. Django start-up)"
        )
    export_service.export_remove_file(job)


def test_restore_reuses_the_same_account_and_refuses_any_other_clash(world, sheohar):
    from state_admin.services.export_restore import _account_restore

    officer = User.objects.get(login_id="sdpo.sheohar")
    same = {"id": officer.pk, "login_id": "sdpo.sheohar", "full_name": "x", "full_name_hi": "", "email": "",
            "service_number": "", "rank": "", "mobile": ""}  # fmt: skip
    assert _account_restore(same) is False
    with pytest.raises(ArchiveError, match="not “sdpo.sheohar”"):
        _account_restore(same | {"id": world.staff.pk})
    with pytest.raises(ArchiveError, match="same e-mail"):
        _account_restore(same | {"id": 10**9, "login_id": "new.person", "email": "SDPO.SHEOHAR@example.org"})
    with pytest.raises(ArchiveError, match="same service number"):
        _account_restore(same | {"id": 10**9, "login_id": "new.person", "service_number": "BR-SH-1"})
    with pytest.raises(ArchiveError, match="same login ID"):
        _account_restore(same | {"id": 10**9})
    assert not User.objects.filter(pk=10**9).exists()


# --- Delete only after a verified export ---------------------------------------------------------


def _delete(archive, *extra):
    call_command("district_delete", SLUG, "--archive", str(archive), "--by", "state.staff", *extra)


def test_delete_refuses_a_live_district_and_an_unverified_archive(world, sheohar, tmp_path):
    job = _built(world, sheohar)
    archive = exports_dir() / job.stored_name
    with pytest.raises(CommandError, match="suspend or archive it"):
        _delete(archive, "--yes")
    district_suspend(actor=_actor(world), district=sheohar, reason="Before deletion")
    stranger = tmp_path / "other.tar.gz"
    stranger.write_bytes(archive.read_bytes() + b"x")
    with pytest.raises(CommandError, match="not a finished export"):
        _delete(stranger, "--yes")
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED)
    with pytest.raises(CommandError, match="not a finished export"):
        _delete(archive, "--yes")
    with pytest.raises(CommandError, match="No platform staff"):
        call_command("district_delete", SLUG, "--archive", str(archive), "--by", "sdpo.mahua", "--yes")
    assert schema_exists("sheohar") and District.objects.filter(slug=SLUG).exists()
    export_service.export_remove_file(job)


def test_sessions_after_the_export_do_not_make_it_stale(world, sheohar):
    job = _built(world, sheohar)
    district_archive(actor=_actor(world), district=sheohar, reason="Closing")
    with district_context("sheohar"):
        from django.contrib.sessions.backends.db import SessionStore

        SessionStore().create()  # someone signed in to read the archived district
    assert district_export_verify(district=sheohar, archive=exports_dir() / job.stored_name) == job
    export_service.export_remove_file(job)


def test_delete_refuses_a_stale_export(world, sheohar):
    job = _built(world, sheohar)
    district_archive(actor=_actor(world), district=sheohar, reason="Closing")
    with district_context("sheohar"):
        core_services.office_create(code="thana-new", name="New thana", kind=Office.Kind.THANA)
    with pytest.raises(CommandError, match="changed since this export"):
        _delete(exports_dir() / job.stored_name, "--yes")
    assert schema_exists("sheohar")
    export_service.export_remove_file(job)


def test_delete_after_a_verified_export_removes_everything_but_the_record(
    world, sheohar, monkeypatch, django_capture_on_commit_callbacks
):
    job = _built(world, sheohar)
    archive = exports_dir() / job.stored_name
    district_suspend(actor=_actor(world), district=sheohar, reason="Merged into Sitamarhi")
    monkeypatch.setattr("builtins.input", lambda prompt: "vaishali")
    with pytest.raises(CommandError, match="not typed"):
        _delete(archive)
    assert schema_exists("sheohar")

    monkeypatch.setattr("builtins.input", lambda prompt: SLUG)
    media = district_media_dir("sheohar")
    assert media.is_dir()
    with django_capture_on_commit_callbacks(execute=True):
        _delete(archive)
    assert not schema_exists("sheohar")
    assert not District.objects.filter(slug=SLUG).exists()
    assert not DistrictMembership.objects.filter(district_id=sheohar.pk).exists()
    assert not media.exists()
    event = AuditEvent.objects.get(action="district.delete")
    assert event.district_slug == SLUG and event.actor_login == "state.staff"
    assert event.details["export"] == str(job.pk) and event.details["domains"] == ["sheohar.localhost"]
    job.refresh_from_db()
    assert job.district is None and job.district_slug == SLUG
    export_service.export_remove_file(job)
    _media_files_write(media)  # the rows come back with the rollback; put the files back too
