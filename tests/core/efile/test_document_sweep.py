"""The sweep: stored files no row names and stale temporary uploads go; everything else stays. And
the documents panel on the file page."""

import os
import time

import pytest
from django.core.management import call_command

from core.base.storage import documents_sweep, stored_path, temp_dir
from core.efile.document_tasks import documents_sweep_task
from core.efile.services.documents import document_upload
from core.models import EFile
from tenants.context import district_context
from tests.core.efile import samples
from tests.core.efile.filework import gen_file
from tests.core.efile.samples import upload

DAY = 24 * 3600


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _aged(path, seconds):
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def _file_with_document(ef):
    file = gen_file(ef.actor("clerk"), ef.posts["clerk"], "Sweep", EFile.Category.OTHER)
    (document,) = document_upload(
        actor=ef.actor("clerk"), file=file, uploads=[upload("a.pdf", samples.pdf_bytes())]
    )
    return file, document


def test_sweep_removes_old_orphans_and_stale_temporary_files_only(ef):
    with district_context("vaishali"):
        _file, document = _file_with_document(ef)
        version = document.versions.get()
        kept = [
            _aged(stored_path(version.stored_name), 3 * DAY),
            _aged(stored_path(version.preview_name), 3 * DAY),
        ]
        folder = stored_path(version.stored_name).parent
        old_orphan = folder / ("0" * 32)
        old_orphan.write_bytes(b"left by a rollback")
        _aged(old_orphan, 2 * DAY)
        young_orphan = folder / ("1" * 32)
        young_orphan.write_bytes(b"an upload still committing")
        stale_temp = temp_dir() / "abc.upload"
        stale_temp.write_bytes(b"x")
        _aged(stale_temp, 2 * DAY)
        fresh_temp = temp_dir() / "def.upload"
        fresh_temp.write_bytes(b"y")

        assert documents_sweep() == 2
        assert all(path.exists() for path in kept)
        assert young_orphan.exists() and fresh_temp.exists()
        assert not old_orphan.exists() and not stale_temp.exists()
        assert documents_sweep(older_than_hours=0) == 2  # everything unnamed, however young
        assert all(path.exists() for path in kept)


def test_command_and_nightly_task_sweep_each_district(ef, capsys):
    with district_context("vaishali"):
        orphan = temp_dir() / "old.upload"
        orphan.write_bytes(b"x")
        _aged(orphan, 2 * DAY)
    call_command("sweep_documents", "vaishali")
    assert "vaishali: 1 file(s) removed" in capsys.readouterr().out
    assert not orphan.exists()
    with district_context("muzaffarpur"):
        other = temp_dir() / "old.upload"
        other.write_bytes(b"x")
        _aged(other, 2 * DAY)
    results = documents_sweep_task.call_local()
    assert results["muzaffarpur"] == 1 and not other.exists()


def test_file_page_shows_the_documents_panel(ef):
    with district_context("vaishali"):
        file, document = _file_with_document(ef)
    page = ef.client("clerk").get(f"/files/{file.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert f'src="/documents/{document.pk}/v1/pages/1.png"' in text  # read in the page (the reader)
    assert f"/documents/{document.pk}/v1/download/" in text
    assert f'action="/documents/file/{file.pk}/upload/"' in text and 'enctype="multipart/form-data"' in text
    # Someone who may see the file but does not hold it sees the papers, not the upload form.
    page = ef.client("sp").get(f"/files/{file.pk}/")
    assert page.status_code == 200
    assert f"/documents/{document.pk}/v1/download/" in page.content.decode()
    assert f"/documents/file/{file.pk}/upload/" not in page.content.decode()
