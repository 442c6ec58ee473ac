"""The letter read inside the file (issue 15, section 2): the file page lists every paper of the
file and of the dak in it, newest first, and shows the newest one's page in the page; the reader
turns pages and enlarges them; page images are inline with the stored files' protective headers,
each look one audit event; "Download" is a separate, audited action. Whoever may not see the file
gets 404 for the reader and for the page images."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from core.efile.services.documents import document_upload, document_version_add
from core.efile.services.movement import file_receive, file_send
from core.efile.services.receipts import receipt_attach
from core.models import AuditEvent, Document, Posting
from tenants.context import district_context
from tests.core.efile import samples
from tests.core.efile.filework import dak_of, open_file
from tests.core.efile.samples import upload
from tests.helpers import HostClient, sign_in_refused


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KARYALAY_X_ACCEL_PREFIX = ""
    return settings.MEDIA_ROOT


def _file_with_scanned_dak(ef):
    """A file at the SP's desk holding a dak whose scan has two pages, and a note of the file's own
    uploaded after it (so newest first puts the note first)."""
    with district_context("vaishali"):
        file = open_file(ef)
        receipt = dak_of(ef)
        (scan,) = document_upload(
            actor=ef.actor("clerk"), receipt=receipt, uploads=[upload("ig-letter.pdf", samples.pdf_bytes(2))]
        )
        receipt_attach(actor=ef.actor("clerk"), receipt=receipt, file=file)
        (own,) = document_upload(
            actor=ef.actor("clerk"),
            file=file,
            uploads=[upload("checklist.png", samples.image_bytes())],
            title="Checklist",
        )
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sp"])
    return file, receipt, scan, own


def _events(action: str) -> list:
    with district_context("vaishali"):
        return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_sp_opens_the_file_and_sees_the_daks_scan_inline_newest_paper_first(ef):
    file, receipt, scan, own = _file_with_scanned_dak(ef)
    sp = ef.client("sp")
    page = sp.get(f"/files/{file.pk}/").content.decode()
    assert "No documents yet" not in page
    papers = page[page.index('id="papers-h"') :]
    # Every paper, the file's own and the dak's, newest first, the dak's named by its diary number.
    assert papers.index("Checklist") < papers.index("ig-letter")
    assert f"Scanned with dak {receipt.diary_number}" in papers
    # The newest paper is shown in the page; the dak's scan is one link away, in the reader.
    assert f'src="/documents/{own.pk}/v1/pages/1.png"' in page
    reader = sp.get(f"/files/{file.pk}/read/", {"doc": scan.pk}).content.decode()
    assert f'src="/documents/{scan.pk}/v1/pages/1.png"' in reader
    assert "Page 1 of 2" in reader and 'rel="next"' in reader and 'rel="prev"' not in reader
    before = len(_events("document.page_view"))
    image = sp.get(f"/documents/{scan.pk}/v1/pages/1.png")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    assert image["Content-Disposition"].startswith("inline;")
    assert image["X-Content-Type-Options"] == "nosniff"
    assert image["Content-Security-Policy"].startswith("sandbox;")
    assert "no-store" in image["Cache-Control"]
    assert image["Cross-Origin-Resource-Policy"] == "same-origin"
    views = _events("document.page_view")
    assert len(views) == before + 1  # one look, one event
    assert (views[-1].target_id, views[-1].person_id, views[-1].details["page"]) == (
        str(scan.pk),
        ef.people["sp"].pk,
        1,
    )
    # Reading leaves no download behind.
    assert not _events("document.download")


def test_the_dak_row_of_the_correspondence_side_opens_its_scan_in_the_reader(ef):
    file, receipt, scan, _own = _file_with_scanned_dak(ef)
    page = ef.client("sp").get(f"/files/{file.pk}/").content.decode()
    side = page[page.index('id="corr-h"') : page.index('id="documents"')]
    row = side[side.index(receipt.diary_number) :]
    row = row[: row.index("</tr>")]
    assert f'href="/files/{file.pk}/read/?doc={scan.pk}&amp;page=1#reader"' in row


def test_the_dak_pages_thumbnail_opens_the_pages_in_the_browser_not_a_download(ef):
    _file, receipt, scan, _own = _file_with_scanned_dak(ef)
    page = ef.client("sp").get(f"/dak/{receipt.pk}/").content.decode()
    thumb = page[page.index('class="ef-thumb"') - 80 : page.index('class="ef-thumb"')]
    assert f'href="/documents/{scan.pk}/v1/text/"' in thumb


def test_pages_turn_and_enlarge_and_a_page_the_paper_lacks_is_404(ef):
    file, _receipt, scan, _own = _file_with_scanned_dak(ef)
    sp = ef.client("sp")
    first = sp.get(f"/files/{file.pk}/read/", {"doc": scan.pk}).content.decode()
    next_url = f"/files/{file.pk}/read/?doc={scan.pk}&amp;v=1&amp;page=2#reader"
    assert f'href="{next_url}"' in first
    second = sp.get(f"/files/{file.pk}/read/", {"doc": scan.pk, "v": 1, "page": 2}).content.decode()
    assert f'src="/documents/{scan.pk}/v1/pages/2.png"' in second
    assert "Page 2 of 2" in second and 'rel="prev"' in second and 'rel="next"' not in second
    wide = sp.get(f"/files/{file.pk}/read/", {"doc": scan.pk, "page": 2, "zoom": "wide"}).content.decode()
    assert f'src="/documents/{scan.pk}/v1/pages/2.png?zoom=2"' in wide and "ef-zoom-wide" in wide
    assert "Fit to the screen" in wide
    small = sp.get(f"/documents/{scan.pk}/v1/pages/2.png")
    large = sp.get(f"/documents/{scan.pk}/v1/pages/2.png?zoom=2")

    def height(response):
        return Image.open(io.BytesIO(response.content)).size[1]

    assert (height(small), height(large)) == (1000, 2000)
    for query in (
        {"doc": scan.pk, "page": 3},
        {"doc": scan.pk, "page": 0},
        {"doc": scan.pk, "v": 2},
        {"doc": scan.pk, "page": "x"},
        {"doc": "abc"},
        {"doc": scan.pk + 1000},
    ):
        assert sp.get(f"/files/{file.pk}/read/", query).status_code == 404, query


def test_an_earlier_version_is_read_by_its_number(ef):
    file, _receipt, _scan, own = _file_with_scanned_dak(ef)
    with district_context("vaishali"):
        file_receive(actor=ef.actor("sp"), file=file)
        document_version_add(
            actor=ef.actor("sp"),
            document=Document.objects.get(pk=own.pk),
            upload=upload("c2.pdf", samples.pdf_bytes(3)),
        )
    sp = ef.client("sp")
    latest = sp.get(f"/files/{file.pk}/read/", {"doc": own.pk}).content.decode()
    assert "Page 1 of 3" in latest and f"/documents/{own.pk}/v2/pages/1.png" in latest
    earlier = sp.get(f"/files/{file.pk}/read/", {"doc": own.pk, "v": 1}).content.decode()
    assert "Page 1 of 1" in earlier and "not the latest" in earlier


def test_download_is_a_separate_audited_attachment(ef):
    file, _receipt, scan, _own = _file_with_scanned_dak(ef)
    sp = ef.client("sp")
    reader = sp.get(f"/files/{file.pk}/read/", {"doc": scan.pk}).content.decode()
    assert f'href="/documents/{scan.pk}/v1/download/"' in reader
    response = sp.get(f"/documents/{scan.pk}/v1/download/")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    (event,) = _events("document.download")
    assert (event.target_id, event.person_id) == (str(scan.pk), ef.people["sp"].pk)


def test_a_file_without_papers_says_so_and_its_reader_shows_no_page(ef):
    with district_context("vaishali"):
        file = open_file(ef)
    clerk = ef.client("clerk")
    page = clerk.get(f"/files/{file.pk}/").content.decode()
    assert "No documents yet" in page and 'id="reader"' not in page
    reader = clerk.get(f"/files/{file.pk}/read/")
    assert reader.status_code == 200 and 'id="reader"' not in reader.content.decode()


def test_a_paper_of_another_file_is_404_in_this_files_reader(ef):
    file, _receipt, scan, _own = _file_with_scanned_dak(ef)
    with district_context("vaishali"):
        other = open_file(ef)
    assert ef.client("sp").get(f"/files/{other.pk}/read/", {"doc": scan.pk}).status_code == 404


def test_nobody_who_may_not_see_the_file_gets_the_reader_or_the_page_images(ef, world):
    file, _receipt, scan, own = _file_with_scanned_dak(ef)
    urls = [
        f"/files/{file.pk}/read/",
        f"/files/{file.pk}/read/?doc={scan.pk}&page=2",
        f"/documents/{scan.pk}/v1/pages/1.png",
        f"/documents/{scan.pk}/v1/pages/2.png?zoom=2",
        f"/documents/{own.pk}/v1/pages/1.png",
        f"/documents/{scan.pk}/v1/download/",
    ]
    before = len(_events("document.page_view")) + len(_events("document.download"))
    # In the district but without sight of the file: the SHO of Mahua, the SDPO of Mahnar.
    outsiders = {"sho": ef.client("sho"), "mahnar": ef.client("mahnar"), "anonymous": HostClient("vaishali")}
    for who, client in outsiders.items():
        for url in urls:
            assert client.get(url).status_code == 404, (who, url)
    # Another district's officer, on their own host: that district has no such file.
    other = ef.client("other")
    for url in urls[:2]:
        assert other.get(url).status_code == 404
    # On Vaishali's host, another district's officer and someone with no posting cannot sign in,
    # and get nothing.
    for login in ("ef.other", "no.posting"):
        client = HostClient("vaishali")
        assert sign_in_refused(client.sign_in(login))
        for url in urls:
            assert client.get(url).status_code == 404, (login, url)
    assert len(_events("document.page_view")) + len(_events("document.download")) == before


def test_a_posting_not_in_force_leaves_no_reader(ef):
    file, _receipt, scan, _own = _file_with_scanned_dak(ef)
    sp = ef.client("sp")
    assert sp.get(f"/files/{file.pk}/read/").status_code == 200
    with district_context("vaishali"):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        Posting.objects.filter(person=ef.people["sp"]).update(starts_on=tomorrow)
    # The gate answers 403 and signs them out; after that they are a visitor, who gets 404.
    first = sp.get(f"/files/{file.pk}/read/")
    assert first.status_code == 403 and b"ig-letter" not in first.content
    assert sp.get(f"/documents/{scan.pk}/v1/pages/1.png").status_code == 404
