"""Inward and outward registers (only rows the viewer may see, per office and period, printable)
and the manual outward entry."""

import datetime

import pytest
from django.utils import timezone

from core.efile.services.dispatch import dispatch_record
from core.efile.services.receipts import receipt_send
from core.models import AuditEvent, Dispatch
from tenants.context import district_context
from tests.core.efile.test_receipts import diarise, open_file

TODAY = timezone.localdate()
LONG_AGO = TODAY - datetime.timedelta(days=100)
AROUND_THEN = {
    "date_from": (LONG_AGO - datetime.timedelta(days=1)).isoformat(),
    "date_to": (LONG_AGO + datetime.timedelta(days=1)).isoformat(),
}


@pytest.fixture
def dak(ef):
    """SP office: a letter today, one from 100 days ago, one marked on to SDPO Mahua; Mahua thana:
    one letter. Outward: one from the SP office, one from the thana, one from a secret file."""
    with district_context("vaishali"):
        today = diarise(ef, subject="SP office letter of today")
        old = diarise(ef, subject="SP office letter of 100 days ago", received_on=LONG_AGO)
        marked = diarise(ef, subject="Marked to the SDPO")
        receipt_send(actor=ef.actor("clerk"), receipt=marked, to_post=ef.posts["sdpo"])
        thana = diarise(ef, "si", subject="Thana letter")
        sp_out = dispatch_record(
            actor=ef.actor("clerk"), post=ef.posts["clerk"], addressee="IG", subject="SP reply"
        )
        thana_out = dispatch_record(
            actor=ef.actor("si"), post=ef.posts["si"], addressee="SDM", subject="Thana reply"
        )
        secret = open_file(ef, "sho", confidentiality="secret")
        secret_out = dispatch_record(
            actor=ef.actor("sho"), post=ef.posts["sho"], addressee="DM", subject="Secret reply", file=secret
        )
    return {
        "today": today,
        "old": old,
        "marked": marked,
        "thana": thana,
        "out": (sp_out, thana_out, secret_out),
    }


def _subjects(page, candidates):
    return {text for text in candidates if text in page.text}


INWARD = {
    "SP office letter of today",
    "SP office letter of 100 days ago",
    "Marked to the SDPO",
    "Thana letter",
}
OUTWARD = {"SP reply", "Thana reply", "Secret reply"}


def test_each_viewer_sees_only_their_rows_in_the_inward_register(ef, dak):
    seen = {key: _subjects(ef.client(key).get("/dak/register/inward/"), INWARD) for key in ef.posts}
    assert seen["clerk"] == {
        "SP office letter of today",
        "Marked to the SDPO",
    }  # 100 days ago is out of range
    assert seen["sp"] == {"SP office letter of today", "Marked to the SDPO", "Thana letter"}
    assert seen["sdpo"] == {"Marked to the SDPO", "Thana letter"}  # marked to them; their sub-division
    assert seen["si"] == {"Thana letter"} and seen["sho"] == {"Thana letter"}
    assert seen["mahnar"] == set() and seen["pio"] == set()
    other = ef.client("other").get("/dak/register/inward/")
    assert other.status_code == 200 and _subjects(other, INWARD) == set()


def test_inward_register_by_office_and_period_is_printable(ef, dak):
    sp = ef.client("sp")
    office = ef.offices["sp-office"].pk
    since = (TODAY - datetime.timedelta(days=365)).isoformat()
    page = sp.get(
        "/dak/register/inward/", {"office": office, "date_from": since, "date_to": TODAY.isoformat()}
    )
    assert page.status_code == 200
    assert _subjects(page, INWARD) == {
        "SP office letter of today",
        "SP office letter of 100 days ago",
        "Marked to the SDPO",
    }
    assert dak["old"].diary_number in page.text
    assert 'class="filters ef-noprint"' in page.text and "data-print" in page.text
    assert "<caption>" in page.text and 'scope="col"' in page.text
    page = sp.get("/dak/register/inward/", AROUND_THEN)
    assert _subjects(page, INWARD) == {"SP office letter of 100 days ago"}


def test_outward_register_rows_follow_who_may_see(ef, dak):
    seen = {key: _subjects(ef.client(key).get("/dak/register/outward/"), OUTWARD) for key in ef.posts}
    assert seen["clerk"] == {"SP reply"}
    assert seen["sp"] == OUTWARD
    assert seen["sdpo"] == {"Thana reply", "Secret reply"}  # supervises the thana; the file was there
    assert seen["sho"] == {"Thana reply", "Secret reply"}
    assert seen["si"] == {"Thana reply"}  # the secret file never passed the SI's post
    assert seen["mahnar"] == set()


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "2025-02-01", "date_to": "2025-01-01"},
        {"date_from": "2023-01-01", "date_to": "2025-01-01"},
        {"date_from": "2025-02-30"},
        {"date_from": "1800-01-01", "date_to": "1800-02-01"},
        {"office": "abc"},
        {"office": "99999999999999999999999"},
        {"office": "a\x00b", "date_to": "\x00"},
    ],
)
def test_bad_register_filters_are_form_errors_with_no_rows(ef, dak, query):
    for url in ("/dak/register/inward/", "/dak/register/outward/"):
        page = ef.client("sp").get(url, query)
        assert page.status_code == 200 and page.context["form"].errors and page.context["rows"] == []


def test_an_office_the_viewer_has_nothing_to_do_with_is_not_offered(ef, dak):
    page = ef.client("mahnar").get("/dak/register/inward/", {"office": ef.offices["sp-office"].pk})
    assert "office" in page.context["form"].errors and _subjects(page, INWARD) == set()


def test_clerk_enters_outward_dak_by_hand(ef):
    # A letter that did not go through e-File: no file is asked (test_dak_entry_limits.py).
    clerk = ef.client("clerk")
    page = clerk.get("/dak/outward/new/")
    assert page.status_code == 200
    data = {
        "dispatched_on": TODAY.isoformat(),
        "mode": "post",
        "addressee": "पुलिस महानिरीक्षक",
        "addressee_address": "Muzaffarpur",
        "subject": "Compliance report",
    }
    response = clerk.post("/dak/outward/new/", data)
    assert response.status_code == 302 and "/dak/register/outward/?office=" in response.url
    with district_context("vaishali"):
        dispatch = Dispatch.objects.get()
        assert dispatch.file is None and dispatch.created_post == ef.posts["clerk"]
        assert dispatch.number == f"SPVAI/D/{TODAY.year}/000001"
        assert AuditEvent.objects.filter(action="dispatch.record", target_id=str(dispatch.pk)).exists()
    page = clerk.get(response.url)
    assert "Compliance report" in page.text and dispatch.number in page.text


@pytest.mark.parametrize(
    "change, field",
    [
        ({"addressee": ""}, "addressee"),
        ({"subject": "x\x00y"}, "subject"),
        ({"dispatched_on": (TODAY + datetime.timedelta(days=1)).isoformat()}, "dispatched_on"),
        ({"dispatched_on": "1900-01-01"}, "dispatched_on"),
        ({"dispatched_on": "not a date"}, "dispatched_on"),
        ({"mode": "pigeon"}, "mode"),
        ({"post": "1"}, None),  # one post only: the field is not asked, whatever is sent
    ],
)
def test_bad_outward_entries_are_refused_and_write_nothing(ef, change, field):
    data = {"dispatched_on": TODAY.isoformat(), "mode": "post", "addressee": "IG", "subject": "Report"}
    response = ef.client("clerk").post("/dak/outward/new/", {**data, **change})
    with district_context("vaishali"):
        count = Dispatch.objects.count()
    if field is None:
        assert response.status_code in (200, 302)
        return
    assert response.status_code == 200 and field in response.context["form"].errors
    assert count == 0


def test_a_register_past_its_limit_says_so(ef, dak, monkeypatch):
    monkeypatch.setattr("core.efile.views.dak_registers.REGISTER_LIMIT", 1)
    page = ef.client("sp").get("/dak/register/inward/")
    assert len(page.context["rows"]) == 1 and "Only the first 1 entries are shown" in page.text
