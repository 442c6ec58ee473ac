"""Backups for real: deploy/backup.sh and deploy/restore.sh (manage.py backup_create and
backup_restore) round-trip a district with files after it is dropped; a restore under a new slug
runs while the original keeps serving; and every refusal (live district without --replace, a
corrupt archive, another version's archive, an unwritable or full target, a restore interrupted
half way) leaves the live district as it was.

The district is Gopalganj, provisioned and committed once for this module (the scripts run in
subprocesses and read committed data) and removed at the end with its copies; Vaishali and
Muzaffarpur are only read. Files go to a temporary MEDIA_ROOT that the subprocesses share.
"""

import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_exists

from core.base.audit import audit_verify
from core.models import Office, Post
from core.org import services as core_services
from state_admin.models import AuditAnchor, AuditEvent
from state_admin.services import backup_restore as restore_service
from state_admin.services.backup import backup_create_district
from state_admin.services.backup_restore import backup_restore_district, schema_sql_rename
from state_admin.services.export_archive import ArchiveError, quote_ident, schema_row_counts, sha256_of
from state_admin.services.provisioning import DistrictSpec, district_provision
from tenants import schemas
from tenants.context import district_context
from tenants.models import District, DistrictMembership, User
from tenants.services import person_get_or_create
from tenants.storage import district_media_dir
from tests.helpers import PASSWORD, HostClient, database_url_of_test_db, sign_in_refused
from tests.helpers import empty_database as a_new_empty_database

PROJECT = Path(__file__).resolve().parents[2]
SLUG = "gopalganj"
COPY = "gopalganj-copy"
OFFICER = "sdpo.gopalganj"


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("backup-media")
    with override_settings(MEDIA_ROOT=root):
        yield root


@pytest.fixture
def committed(django_db_blocker):
    """The test's queries commit at once: the scripts under test run in other processes."""
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        yield
        connection.set_schema_to_public()


@pytest.fixture(scope="module")
def gopalganj(world, media_root, django_db_blocker):
    """A committed district with an officer, postings, audit events and files in sub-folders."""
    with django_db_blocker.unblock():
        district = district_provision(spec=DistrictSpec(slug=SLUG, name="Gopalganj", name_hi="गोपालगंज"))
        officer, _ = person_get_or_create(
            login_id=OFFICER, full_name="SDPO Gopalganj", email="sdpo.gopalganj@example.org",
            password=PASSWORD, must_set_password=False,
        )  # fmt: skip
        with district_context(district.schema_name):
            office = core_services.office_create(code="sdpo-gopalganj", name="SDPO", kind=Office.Kind.SDPO)
            post = core_services.post_create(office=office, code="sdpo", title="SDPO", kind=Post.Kind.SDPO)
            core_services.posting_start(person=officer, post=post)
        media = district_media_dir(district.schema_name)
        (media / "documents" / "2026" / "12").mkdir(parents=True)
        (media / "documents" / "2026" / "12" / "fir-7.pdf").write_bytes(b"%PDF-1.4 FIR 7/2026 " * 500)
        (media / "documents" / "2026" / "12" / "नोट.txt").write_text("गोपालगंज थाना\n")
        (media / "cover.png").write_bytes(bytes(range(256)) * 40)
        connection.set_schema_to_public()
    yield district
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        for left in District.objects.filter(slug__in=[SLUG, COPY]):
            schemas.schema_drop(left.schema_name)
            DistrictMembership.objects.filter(district=left).delete()
            left.domains.all().delete()
            left.delete()
        for name in _schemas_like("restore_%") + _schemas_like("replaced_%"):
            schemas.schema_drop(name)
        AuditEvent.objects.filter(district_slug__in=[SLUG, COPY]).delete()
        person = User.objects.filter(login_id=OFFICER)
        DistrictMembership.objects.filter(person__in=person).delete()
        person._raw_delete(person.db)


def _schemas_like(pattern: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", [pattern])
        return [row[0] for row in cursor.fetchall()]


def _env(media_root: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url_of_test_db(),
        "KARYALAY_NO_EMBEDDED_START": "1",
        "KARYALAY_MEDIA_ROOT": str(media_root),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "KARYALAY_ROOT_DOMAIN": settings.ROOT_DOMAIN,
        # The anchors a restore writes are signed under the key the tests check them with.
        "SECRET_KEY": settings.SECRET_KEY,
        "KARYALAY_PYTHON": sys.executable,
    }


def _run(media_root: Path, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(list(command), cwd=PROJECT, env=_env(media_root), capture_output=True, text=True)


def _backup(media_root: Path, out: Path, slug: str = SLUG) -> Path:
    done = _run(media_root, "deploy/backup.sh", "--district", slug, "--out", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    path = Path(done.stdout.strip().splitlines()[-1])
    assert path.is_file() and path.parent == out and path.name.endswith(".tar.gz")
    return path


def _table_digests(schema: str) -> dict[str, str]:
    """Every table of the schema: an MD5 of all its rows, in a fixed order (content, not counts)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY c.relname",
            [schema],
        )
        tables = [row[0] for row in cursor.fetchall()]
        digests = {}
        for table in tables:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "  # noqa: S608
                f"FROM {quote_ident(schema)}.{quote_ident(table)} t"
            )
            count, digest = cursor.fetchone()
            digests[table] = f"{count}:{digest}"
    return digests


def _file_digests(schema: str) -> dict[str, str]:
    media = district_media_dir(schema)
    return {p.relative_to(media).as_posix(): sha256_of(p) for p in media.rglob("*") if p.is_file()}


def _chain_head(schema: str) -> tuple[int, str, int]:
    with district_context(schema):
        chain = audit_verify()
    assert chain.bad_event_id is None, chain.problem
    return chain.head_id, chain.head_hash, chain.count


def _no_leftovers(media_root: Path) -> None:
    assert _schemas_like("restore_%") == [] and _schemas_like("replaced_%") == []
    hidden = [p.name for p in (media_root / "districts").iterdir() if p.name.startswith(".")]
    assert hidden == []


def _repack(archive: Path, into: Path, change) -> Path:
    """The archive's members, changed by ``change(folder)``, packed again."""
    work = into / "repack"
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(work, filter="data")
    change(work)
    out = into / f"changed-{archive.name}"
    with tarfile.open(out, "w:gz") as tar:
        for child in sorted(work.iterdir()):
            tar.add(child, arcname=child.name)
    return out


def _officer_reads(slug: str) -> int:
    client = HostClient(slug)
    assert client.sign_in(OFFICER).status_code == 302
    return client.get("/").status_code


# --- Round trips ------------------------------------------------------------------------------


def test_dropped_district_comes_back_with_every_row_file_and_its_audit_chain(
    world, gopalganj, media_root, committed, tmp_path
):
    archive = _backup(media_root, tmp_path / "backups")
    verified = _run(media_root, sys.executable, "manage.py", "backup_verify", str(archive))
    assert verified.returncode == 0 and "every checksum matches" in verified.stdout, verified.stderr
    schema = gopalganj.schema_name
    rows, files, head = _table_digests(schema), _file_digests(schema), _chain_head(schema)
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["audit_head"]["hash"] == head[1] and manifest["kind"] == "district"
    assert set(files) == {"documents/2026/12/fir-7.pdf", "documents/2026/12/नोट.txt", "cover.png"}
    assert {f"files/{name}": digest for name, digest in files.items()} == {
        k: v for k, v in manifest["members"].items() if k.startswith("files/")
    }

    # Dropped: schema, files and the district's public rows (its anchors go with it).
    schemas.schema_drop(schema)
    shutil.rmtree(district_media_dir(schema))
    District.objects.get(slug=SLUG).domains.all().delete()
    DistrictMembership.objects.filter(district__slug=SLUG).delete()
    District.objects.filter(slug=SLUG).delete()

    restored = _run(media_root, "deploy/restore.sh", str(archive))
    assert restored.returncode == 0, restored.stderr[-3000:]
    assert f"restored {SLUG} (schema {schema})" in restored.stdout

    assert _table_digests(schema) == rows
    assert _file_digests(schema) == files
    assert _chain_head(schema) == head
    check = _run(media_root, sys.executable, "manage.py", "verify_audit", SLUG)
    assert check.returncode == 0 and "Chain holds" in check.stdout, check.stdout + check.stderr
    district = District.objects.get(slug=SLUG)
    assert AuditAnchor.objects.filter(district=district, result=AuditAnchor.Result.OK).exists()
    assert DistrictMembership.objects.filter(district=district, person__login_id=OFFICER).exists()
    assert _officer_reads(SLUG) == 200
    _no_leftovers(media_root)


def test_copy_under_a_new_slug_while_the_original_keeps_serving(
    world, gopalganj, media_root, committed, tmp_path
):
    archive = _backup(media_root, tmp_path / "backups")
    original = _table_digests(gopalganj.schema_name)
    restore = subprocess.Popen(
        ["deploy/restore.sh", str(archive), "--as", COPY],
        cwd=PROJECT, env=_env(media_root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    served = []
    while restore.poll() is None:  # the original answers throughout the restore
        served.append(_officer_reads(SLUG))
    out, err = restore.communicate()
    assert restore.returncode == 0, err[-3000:]
    assert served and set(served) == {200}

    copy = District.objects.get(slug=COPY)
    assert (
        copy.schema_name == "gopalganj_copy" and copy.domains.get().domain == f"{COPY}.{settings.ROOT_DOMAIN}"
    )
    assert _table_digests(gopalganj.schema_name).keys() == original.keys()
    copied = _table_digests(copy.schema_name)
    for table in ("core_office", "core_post", "core_posting", "core_auditevent"):
        assert copied[table] == original[table]
    assert _file_digests(copy.schema_name) == _file_digests(gopalganj.schema_name)
    assert _chain_head(copy.schema_name) == _chain_head(gopalganj.schema_name)
    check = _run(media_root, sys.executable, "manage.py", "verify_audit", COPY)
    assert check.returncode == 0 and "Chain holds" in check.stdout, check.stdout + check.stderr

    # Both hosts serve their own district; the copy is closed to other districts and to nobody.
    assert _officer_reads(SLUG) == 200 and _officer_reads(COPY) == 200
    assert sign_in_refused(HostClient(COPY).sign_in("sdpo.east"))
    assert sign_in_refused(HostClient(COPY).sign_in("no.posting"))
    assert sign_in_refused(HostClient("muzaffarpur").sign_in(OFFICER))
    # A change in the copy stays in the copy.
    with district_context(copy.schema_name):
        core_services.office_create(code="only-in-copy", name="Copy", kind=Office.Kind.SDPO)
    with district_context(gopalganj.schema_name):
        assert not Office.objects.filter(code="only-in-copy").exists()
    _no_leftovers(media_root)


def test_replace_puts_the_backup_over_the_live_district_and_its_chain_verifies(
    world, gopalganj, media_root, committed, tmp_path
):
    archive = _backup(media_root, tmp_path / "backups")
    schema = gopalganj.schema_name
    rows, files, head = _table_digests(schema), _file_digests(schema), _chain_head(schema)
    with district_context(schema):
        core_services.office_create(code="after-backup", name="Later", kind=Office.Kind.SDPO)
    (district_media_dir(schema) / "later.txt").write_text("after the backup")
    _run(media_root, sys.executable, "manage.py", "verify_audit", SLUG)  # anchors the longer chain

    refused = _run(media_root, "deploy/restore.sh", str(archive))
    assert refused.returncode != 0 and "--replace" in refused.stderr
    with district_context(schema):
        assert Office.objects.filter(code="after-backup").exists()

    others = {name: _table_digests(name) for name in ("vaishali", "muzaffarpur")}
    replaced = _run(media_root, "deploy/restore.sh", str(archive), "--replace")
    assert replaced.returncode == 0, replaced.stderr[-3000:]
    assert "replacing the live one" in replaced.stdout
    # The other districts were not touched.
    assert {name: _table_digests(name) for name in others} == others
    assert _table_digests(schema) == rows and _file_digests(schema) == files and _chain_head(schema) == head
    # The newer anchor of the replaced trail does not make the restored one look trimmed.
    check = _run(media_root, sys.executable, "manage.py", "verify_audit", SLUG)
    assert check.returncode == 0 and "Chain holds" in check.stdout, check.stdout + check.stderr
    _no_leftovers(media_root)


# --- Refusals ---------------------------------------------------------------------------------


def test_corrupt_archive_is_refused_naming_the_file(world, gopalganj, media_root, committed, tmp_path):
    archive = _backup(media_root, tmp_path / "backups")

    def flip(folder: Path):
        target = folder / "files" / "cover.png"
        target.write_bytes(b"X" + target.read_bytes()[1:])

    corrupt = _repack(archive, tmp_path, flip)
    before = _table_digests(gopalganj.schema_name)
    for command in (["backup_verify", str(corrupt)], ["backup_restore", str(corrupt), "--replace"]):
        done = _run(media_root, sys.executable, "manage.py", *command)
        assert done.returncode != 0
        assert "files/cover.png does not match its checksum" in done.stderr, done.stderr[-2000:]
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    done = _run(media_root, sys.executable, "manage.py", "backup_restore", str(truncated), "--replace")
    assert done.returncode != 0 and "Nothing was restored" in done.stderr
    assert _table_digests(gopalganj.schema_name) == before
    _no_leftovers(media_root)


def test_archive_of_another_version_is_refused(world, gopalganj, media_root, committed, tmp_path):
    archive = _backup(media_root, tmp_path / "backups")

    def future(folder: Path):
        manifest = json.loads((folder / "manifest.json").read_text())
        manifest["migrations"]["core"].append("9999_from_the_future")
        manifest["app_version"] = "9.0.0"
        (folder / "manifest.json").write_text(json.dumps(manifest))

    newer = _repack(archive, tmp_path, future)
    done = _run(
        media_root, sys.executable, "manage.py", "backup_restore", str(newer), "--as", "gopalganj-new"
    )
    assert done.returncode != 0
    assert "another version of Karyalay (9.0.0)" in done.stderr and "9999_from_the_future" in done.stderr
    assert not District.objects.filter(slug="gopalganj-new").exists() and not schema_exists("gopalganj_new")


def test_unusable_target_and_full_disk_leave_no_complete_looking_archive(
    world, gopalganj, media_root, committed, tmp_path, monkeypatch
):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("x")
    with pytest.raises(ArchiveError, match="Cannot use the backup folder"):
        backup_create_district(district=gopalganj, target_dir=not_a_folder / "backups")

    out = tmp_path / "full"
    real_addfile = tarfile.TarFile.addfile
    written = []

    def disk_full(self, tarinfo, fileobj=None, **kwargs):
        if written:
            raise OSError(28, "No space left on device")
        written.append(tarinfo.name)
        return real_addfile(self, tarinfo, fileobj, **kwargs)

    monkeypatch.setattr(tarfile.TarFile, "addfile", disk_full)
    with pytest.raises(ArchiveError, match="No space left on device"):
        backup_create_district(district=gopalganj, target_dir=out)
    assert written and list(out.iterdir()) == []


def test_restore_interrupted_half_way_leaves_the_live_district_untouched(
    world, gopalganj, media_root, committed, tmp_path, monkeypatch
):
    archive = backup_create_district(district=gopalganj, target_dir=tmp_path / "backups").path
    schema = gopalganj.schema_name
    with district_context(schema):
        core_services.office_create(code="live-only", name="Live", kind=Office.Kind.SDPO)
    rows, files = _table_digests(schema), _file_digests(schema)

    # Stopped after the scratch schema is loaded and the files are staged, before the swap.
    def stop(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(restore_service, "_swap", stop)
        with pytest.raises(KeyboardInterrupt):
            backup_restore_district(archive=archive, replace=True)
    assert _table_digests(schema) == rows and _file_digests(schema) == files
    _no_leftovers(media_root)

    # Failing inside the swap's transaction, after the schemas were renamed and the folders moved.
    def fail(*args, **kwargs):
        raise RuntimeError("connection lost")

    with monkeypatch.context() as patch:
        patch.setattr(restore_service, "audit_record", fail)
        with pytest.raises(RuntimeError, match="connection lost"):
            backup_restore_district(archive=archive, replace=True)
    assert _table_digests(schema) == rows and _file_digests(schema) == files
    _no_leftovers(media_root)
    assert _officer_reads(SLUG) == 200


def test_schema_rename_leaves_data_that_names_the_schema_alone(tmp_path):
    source = tmp_path / "in.sql"
    source.write_text(
        "CREATE SCHEMA gopalganj;\n"
        "CREATE TABLE gopalganj.core_note (id bigint, body text);\n"
        "COPY gopalganj.core_note (id, body) FROM stdin;\n"
        '1\tsee gopalganj.core_note and "gopalganj".x\n'
        "\\.\n"
        'ALTER TABLE ONLY "gopalganj".core_note ADD CONSTRAINT p PRIMARY KEY (id);\n'
        "SELECT pg_catalog.setval('gopalganj.core_note_id_seq', 3, true);\n"
        "CREATE TABLE gopalganj_old.x (id int);\n"
    )
    target = tmp_path / "out.sql"
    schema_sql_rename(source, target, old="gopalganj", new="restore_1")
    assert target.read_text() == (
        'CREATE SCHEMA "restore_1";\n'
        'CREATE TABLE "restore_1".core_note (id bigint, body text);\n'
        'COPY "restore_1".core_note (id, body) FROM stdin;\n'
        '1\tsee gopalganj.core_note and "gopalganj".x\n'
        "\\.\n"
        'ALTER TABLE ONLY "restore_1".core_note ADD CONSTRAINT p PRIMARY KEY (id);\n'
        "SELECT pg_catalog.setval('\"restore_1\".core_note_id_seq', 3, true);\n"
        "CREATE TABLE gopalganj_old.x (id int);\n"
    )


# --- The whole deployment ---------------------------------------------------------------------


@pytest.fixture
def empty_database(world):
    with a_new_empty_database("dr") as made:
        yield made


def test_whole_deployment_comes_back_into_an_empty_database(
    world, gopalganj, media_root, committed, tmp_path, empty_database
):
    url, params = empty_database
    done = _run(media_root, "deploy/backup.sh", "--all", "--out", str(tmp_path / "backups"))
    assert done.returncode == 0, done.stderr[-3000:]
    archive = Path(done.stdout.strip().splitlines()[-1])
    assert archive.name.startswith("deployment-") and archive.suffix == ".tar"
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    schema = gopalganj.schema_name
    assert manifest["row_counts"][schema] == {
        t: int(v.split(":")[0]) for t, v in _table_digests(schema).items()
    }
    assert manifest["audit_heads"][schema]["hash"] == _chain_head(schema)[1]

    restored_media = tmp_path / "restored-media"
    env = {**_env(restored_media), "DATABASE_URL": url}
    restore = subprocess.run(
        ["deploy/restore.sh", str(archive)], cwd=PROJECT, env=env, capture_output=True, text=True
    )
    assert restore.returncode == 0, restore.stderr[-3000:]
    with psycopg.connect(**params) as conn:
        for name in ("public", schema, "vaishali", "muzaffarpur"):
            assert _counts_of(conn, name) == manifest["row_counts"][name], name
    original = _file_digests(schema)
    restored_files = restored_media / "districts" / schema
    assert {
        p.relative_to(restored_files).as_posix(): sha256_of(p)
        for p in restored_files.rglob("*")
        if p.is_file()
    } == original
    check = subprocess.run(
        [sys.executable, "manage.py", "verify_audit", SLUG],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0 and "Chain holds" in check.stdout, check.stdout + check.stderr
    again = subprocess.run(
        ["deploy/restore.sh", str(archive)], cwd=PROJECT, env=env, capture_output=True, text=True
    )
    assert again.returncode != 0 and "already holds a deployment" in again.stderr


def _counts_of(conn, schema: str) -> dict[str, int]:
    with conn.cursor() as cursor:
        return schema_row_counts(cursor, schema)
