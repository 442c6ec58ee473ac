"""The closed tray pages forward without counting (issue 15, point 4: trays at district size): files
and dak read apart latest first and merged, each page in order, "Next" only while more follow."""

import datetime

from django.utils import timezone

from core.base.access import viewer_for
from core.efile.selectors import inbox
from core.efile.services.movement import file_close
from core.efile.services.receipts import receipt_close
from core.models import EFile, Receipt
from tenants.context import district_context
from tests.core.efile.test_inbox import dak
from tests.core.efile.test_movement_services import new_file


def _closed(ef, count_files=3, count_dak=2):
    """Files and dak closed by the clerk, each a minute apart, latest last; their numbers latest first."""
    items = []
    for n in range(count_files):
        file = new_file(ef, subject=f"closed file {n}")
        items.append(file_close(actor=ef.actor("clerk"), file=file, remark="Done"))
    for n in range(count_dak):
        letter = dak(ef, subject=f"closed dak {n}")
        items.append(receipt_close(actor=ef.actor("clerk"), receipt=letter, remark="Filed"))
    start = timezone.now() - datetime.timedelta(hours=1)
    order = [items[0], items[3], items[1], items[4], items[2]]  # files and dak interleaved in time
    for minutes, item in enumerate(order):
        type(item).objects.filter(pk=item.pk).update(closed_at=start + datetime.timedelta(minutes=minutes))
    return [item.number if isinstance(item, EFile) else item.diary_number for item in reversed(order)]


def test_closed_tray_pages_forward_in_order_across_files_and_dak(ef, monkeypatch):
    monkeypatch.setattr(inbox, "PAGE_SIZE", 2)
    with district_context("vaishali"):
        expected = _closed(ef)
        clerk = viewer_for(ef.people["clerk"])
        pages = [inbox.closed_page(clerk, n) for n in (1, 2, 3)]
        assert [[row.number for row in page] for page in pages] == [
            expected[0:2],
            expected[2:4],
            expected[4:],
        ]
        assert [page.has_next for page in pages] == [True, True, False]
        assert [page.has_previous() for page in pages] == [False, True, True]
        assert [row.kind for row in pages[0]] == ["file", "dak"]
        # Past the end, or not a number: the first page.
        for asked in (9, "x", None, -3):
            assert [row.number for row in inbox.closed_page(clerk, asked)] == expected[0:2]
        assert list(inbox.closed_page(viewer_for(ef.people["sdpo"]))) == []
        assert Receipt.objects.filter(status=Receipt.Status.CLOSED).count() == 2


def test_closed_tray_page_links_without_a_total(ef, monkeypatch):
    monkeypatch.setattr(inbox, "PAGE_SIZE", 2)
    with district_context("vaishali"):
        expected = _closed(ef)
    client = ef.client("clerk")
    first = client.get("/inbox/closed/").content.decode()
    assert expected[0] in first and expected[2] not in first
    assert 'href="?page=2" rel="next"' in first and "Page 1<" in first and "Page 1 of" not in first
    last = client.get("/inbox/closed/?page=3").content.decode()
    assert expected[4] in last and 'rel="next"' not in last and 'href="?page=2" rel="prev"' in last
