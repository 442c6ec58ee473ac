"""The marks that tell the service worker what to save: the inbox with its files' pages, a file
with its track and the first page of each paper; nothing the officer may not see."""

import re

import pytest

from core.efile.services.documents import document_upload
from core.efile.services.movement import file_send
from core.efile.services.receipts import receipt_attach
from tenants.context import district_context
from tests.core.efile import samples
from tests.core.efile.conftest import ef  # noqa: F401 (fixture)
from tests.core.efile.filework import dak_of, open_file
from tests.core.efile.samples import upload

META = re.compile(r'<meta name="karyalay-offline" content="([^"]*)">')


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KARYALAY_X_ACCEL_PREFIX = ""


def _links(response) -> list[str] | None:
    found = META.search(response.content.decode())
    return found.group(1).replace("&amp;", "&").split() if found else None


def _file_with_papers(ef):  # noqa: F811
    with district_context("vaishali"):
        file = open_file(ef)
        receipt = dak_of(ef)
        (scan,) = document_upload(
            actor=ef.actor("clerk"), receipt=receipt, uploads=[upload("ig.pdf", samples.pdf_bytes(2))]
        )
        receipt_attach(actor=ef.actor("clerk"), receipt=receipt, file=file)
        (own,) = document_upload(
            actor=ef.actor("clerk"), file=file, uploads=[upload("c.png", samples.image_bytes())], title="C"
        )
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sp"])
    return file, scan, own


def test_the_inbox_lists_the_pages_of_its_files_and_a_file_its_track_and_first_pages(ef):  # noqa: F811
    file, scan, own = _file_with_papers(ef)
    sp = ef.client("sp")
    assert f"/files/{file.pk}/" in _links(sp.get("/inbox/"))
    links = _links(sp.get(f"/files/{file.pk}/"))
    assert f"/files/{file.pk}/track/" in links
    for document in (scan, own):
        assert f"/documents/{document.pk}/v1/pages/1.png" in links
        assert any(
            link.startswith(f"/files/{file.pk}/read/?doc={document.pk}") and "page=1" in link
            for link in links
        )
    assert not any("pages/2.png" in link or "download" in link for link in links)
    # Each listed page answers the officer (so the worker can save it) and is itself marked.
    for link in links:
        response = sp.get(link)
        assert response.status_code == 200, link
        if link.endswith("/") or "/read/" in link:
            assert _links(response) == []


def test_nothing_of_a_file_the_officer_may_not_see_is_listed_or_served(ef):  # noqa: F811
    file, scan, _own = _file_with_papers(ef)
    sho = ef.client("sho")  # in the district, without sight of the file
    assert f"/files/{file.pk}/" not in (_links(sho.get("/inbox/")) or [])
    for link in (f"/files/{file.pk}/", f"/files/{file.pk}/track/", f"/documents/{scan.pk}/v1/pages/1.png"):
        assert sho.get(link).status_code == 404
    other = ef.client("other")  # another district, on its own host
    assert other.get(f"/files/{file.pk}/").status_code == 404
    assert f"/files/{file.pk}/" not in (_links(other.get("/inbox/")) or [])


def test_only_the_inbox_tray_is_saved_not_the_others(ef):  # noqa: F811
    clerk = ef.client("clerk")
    assert _links(clerk.get("/inbox/")) == []  # an empty inbox is saved, with nothing to follow
    assert _links(clerk.get("/inbox/closed/")) is None
    assert _links(clerk.get("/inbox/sent/")) is None


def test_dak_in_the_inbox_is_saved_with_the_scans_first_page_it_shows(ef):  # noqa: F811
    with district_context("vaishali"):
        receipt = dak_of(ef, sender="DIG Tirhut", subject="Review")
        (scan,) = document_upload(
            actor=ef.actor("clerk"), receipt=receipt, uploads=[upload("dig.pdf", samples.pdf_bytes(1))]
        )
    clerk = ef.client("clerk")
    assert f"/dak/{receipt.pk}/" in _links(clerk.get("/inbox/"))
    page = clerk.get(f"/dak/{receipt.pk}/")
    assert _links(page) == []
    # The worker keeps the images a saved page shows: here the scan's first page, which answers
    # the clerk and nobody outside.
    image = re.search(r'<img[^>]*\ssrc="(/documents/\d+/v\d+/preview\.png)"', page.content.decode()).group(1)
    assert image == f"/documents/{scan.pk}/v1/preview.png"
    assert clerk.get(image).status_code == 200
    assert ef.client("sho").get(image).status_code == 404
    assert ef.client("sho").get(f"/dak/{receipt.pk}/").status_code == 404


def test_a_save_by_the_worker_is_recorded_as_a_view_marked_offline(ef):  # noqa: F811
    from core.models import AuditEvent

    with district_context("vaishali"):
        file = open_file(ef)
    clerk = ef.client("clerk")
    assert clerk.get(f"/files/{file.pk}/").status_code == 200
    assert clerk.get(f"/files/{file.pk}/", HTTP_X_KARYALAY_OFFLINE="save").status_code == 200
    with district_context("vaishali"):
        views = AuditEvent.objects.filter(action="file.view", target_id=str(file.pk)).order_by("id")
        assert [event.details for event in views] == [{}, {"page": "offline"}]
