"""Stable cursors (issue 20, point 2): every list pages by the key of the last row seen, so rows
that arrive while a client pages are neither skipped nor repeated; a cursor is opaque, signed and
bound to its list; the pages' order is kept."""

import datetime
import itertools

import pytest

from core.api import trays as trays_api
from core.api.cursors import Keyset
from core.base.access import viewer_for
from core.efile.selectors import inbox as trays
from core.efile.services.movement import file_close, file_park, file_send
from core.efile.services.receipts import receipt_receive, receipt_send
from core.models import Receipt
from tenants.context import district_context
from tests.core.efile.filework import dak_of, open_file

TODAY = datetime.date(2026, 12, 7)
_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(trays_api, "PAGE_SIZE", 3)


def _dak_to(ef, to: str, *, due_on=None, receive=False) -> Receipt:
    """A letter diarised by the clerk and marked to ``to`` (taken in there when ``receive``)."""
    receipt = dak_of(ef, sender="DIG Tirhut", subject=f"Letter {next(_serial)}", received_on=TODAY)
    receipt = receipt_send(actor=ef.actor("clerk"), receipt=receipt, to_post=ef.posts[to], due_on=due_on)
    if receive:
        receipt = receipt_receive(actor=ef.actor(to), receipt=receipt)
    return receipt


def _file_to(ef, to: str, *, due_on=None):
    return file_send(actor=ef.actor("clerk"), file=open_file(ef), to_post=ef.posts[to], due_on=due_on)


def _inbox_order(ef, key: str) -> list[tuple[str, int]]:
    """The inbox page's own order, all of it (the page's selector, one big page)."""
    viewer = viewer_for(ef.people[key])
    files, dak = trays.inbox_arms(viewer).values()
    return [(row[0], row[1]) for row in files.union(dak, all=True).order_by(*trays.INBOX_ORDER)]


def _walk(client, path: str, between=None) -> list[tuple[str, int]]:
    """Every row of a list, page after page by ``next``; ``between(n)`` runs after page ``n``."""
    seen, cursor, page = [], None, 0
    while True:
        response = client.get(path, {"cursor": cursor} if cursor else {})
        assert response.status_code == 200, response.content
        body = response.json()
        assert len(body["results"]) <= 3
        seen += [(row.get("kind", "file"), row["id"]) for row in body["results"]]
        page += 1
        cursor = body["next"]
        if cursor is None:
            return seen
        if between:
            between(page)


def _due(days):
    return None if days is None else TODAY + datetime.timedelta(days=days)


def test_inbox_paged_while_files_and_dak_arrive_skips_and_repeats_nothing(ef, token_for, api_client):
    with district_context("vaishali"):
        # New and taken in, with and without due dates, files and dak: every column of the order.
        for index, days in enumerate([3, None, 1, 5, None, 2, 4]):
            _dak_to(ef, "sdpo", due_on=_due(days), receive=index % 2 == 0)
        for days in (2, None, 6):
            _file_to(ef, "sdpo", due_on=_due(days))
        before = _inbox_order(ef, "sdpo")
    assert len(before) == 10

    arrivals = iter([None, 1, 9, 2, None, 7])

    def arrive(page):
        # After each page another letter or file arrives: some sort before the cursor (earlier
        # due dates, new), some after it.
        with district_context("vaishali"):
            days = next(arrivals, "done")
            if days == "done":
                return
            if page % 2:
                _dak_to(ef, "sdpo", due_on=_due(days), receive=page % 3 == 0)
            else:
                _file_to(ef, "sdpo", due_on=_due(days))

    sdpo = api_client("vaishali", token_for(ef.people["sdpo"], "vaishali", scope="read"))
    seen = _walk(sdpo, "/api/v1/inbox/", arrive)
    with district_context("vaishali"):
        after = _inbox_order(ef, "sdpo")

    assert len(seen) == len(set(seen)), "a row was repeated"
    assert set(before) <= set(seen), "a row that was there from the start was skipped"
    assert len(after) > len(before)
    # What was read is in the page's own order: a subsequence of the final inbox.
    positions = [after.index(row) for row in seen]
    assert positions == sorted(positions)


def test_sent_tray_paged_while_more_is_sent_repeats_nothing(ef, token_for, api_client):
    """Sent is latest first: everything sent while paging lands in front of the cursor. A page
    number would show the last row of each page again at the top of the next one."""
    with district_context("vaishali"):
        sent = [_dak_to(ef, "sdpo").pk for _ in range(7)]

    def send_more(page):
        with district_context("vaishali"):
            _dak_to(ef, "sdpo")

    clerk = api_client("vaishali", token_for(ef.people["clerk"], "vaishali", scope="read"))
    seen = [pk for _kind, pk in _walk(clerk, "/api/v1/sent/", send_more)]
    assert seen == sorted(sent, reverse=True)


def test_parked_and_closed_trays_page_through_everything_once(ef, token_for, api_client):
    with district_context("vaishali"):
        parked, closed = [], []
        for index in range(8):
            file = open_file(ef)
            if index % 2:
                parked.append(file_park(actor=ef.actor("clerk"), file=file, remarks="Later").pk)
            else:
                closed.append(("file", file_close(actor=ef.actor("clerk"), file=file, remark="Done").pk))
    clerk = api_client("vaishali", token_for(ef.people["clerk"], "vaishali", scope="read"))
    assert sorted(pk for _k, pk in _walk(clerk, "/api/v1/parked/")) == sorted(parked)
    seen = _walk(clerk, "/api/v1/closed/")
    assert len(seen) == len(set(seen)) and set(closed) <= set(seen)
    with district_context("vaishali"):
        page = trays.closed_page(viewer_for(ef.people["clerk"]), 1)
        assert seen == [(row.kind, row.item.pk) for row in page]  # the page's own order


def test_a_cursor_is_opaque_signed_and_bound_to_its_list(ef, token_for, api_client):
    with district_context("vaishali"):
        for _ in range(4):
            _dak_to(ef, "sdpo")
    sdpo = api_client("vaishali", token_for(ef.people["sdpo"], "vaishali", scope="read"))
    cursor = sdpo.get("/api/v1/inbox/").json()["next"]
    assert cursor and "vaishali" not in cursor and "Letter" not in cursor
    assert sdpo.get("/api/v1/inbox/", {"cursor": cursor}).status_code == 200

    for bad in (cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB"), "x", "%%%", "a" * 300):
        response = sdpo.get("/api/v1/inbox/", {"cursor": bad})
        assert response.status_code == 400, bad
        assert response.json()["code"] and "cursor" in response.json()["fields"]
    # The inbox's cursor is not the sent tray's, nor the people directory's.
    assert sdpo.get("/api/v1/sent/", {"cursor": cursor}).status_code == 400
    assert sdpo.get("/api/v1/people/", {"cursor": cursor}).status_code == 400


def test_keyset_conditions_follow_nulls_and_directions():
    """The condition after a key, column by column (PostgreSQL's NULL placement)."""
    keyset = Keyset("t", ("-a", "b"))
    assert keyset.columns[0].nulls_after is False and keyset.columns[1].nulls_after is True
    # A NULL in a descending column (NULLs first) is followed by every non-NULL value.
    text = str(keyset.after((None, 5)))
    assert "a__isnull" in text and "b__gt" in text
    # A constant column (a union's kind) decides its arm in Python.
    union = Keyset("u", ("kind", "id"))
    assert "id__gt" not in str(union.after(("file", 9), {"kind": "dak"}))  # no dak after a file
    assert "id__gt" in str(union.after(("file", 9), {"kind": "file"}))
    assert "kind" not in str(union.after(("file", 9), {"kind": "file"}))
    assert union.columns[0].after_constant("dak", "file") is False
    assert union.columns[0].after_constant("file", "dak") is True
