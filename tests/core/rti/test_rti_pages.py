"""The RTI register's pages: entering an application, its page with every statutory clock as
``core.rti.clocks`` computes it, the list's filters, the change forms and the edit page. Bad input
is a form error, never a 500, and writes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.utils import formats, timezone, translation

from core.models import AuditEvent, RtiApplication
from core.rti import services
from core.rti.clocks import REPLY_30_APIO, TRANSFER, rti_clocks
from tenants.context import district_context
from tests.core.cases.casework import register
from tests.core.rti.test_rti_receive import receive

Status = RtiApplication.Status
TODAY = timezone.localdate()


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def shown(day: datetime.date) -> str:
    with translation.override("en"):
        return formats.date_format(day, "DATE_FORMAT")


def _entry(ef, **change) -> dict:
    return {
        "office": ef.offices["sp-office"].pk,
        "received_on": ago(2).isoformat(),
        "received_at": "",
        "mode": "post",
        "applicant_name": "Sunita Kumari",
        "applicant_address": "Hajipur",
        "subject": "Copy of the station diary entry",
        "fee": "paid",
        "pio_post": ef.posts["pio"].pk,
        "files": "",
        "cases": "",
    } | change


def test_entering_an_application_opens_its_page_with_the_reply_clock(ef):
    clerk = ef.client("clerk")
    assert f'<option value="{ef.offices["sp-office"].pk}"' in clerk.get("/rti/new/").content.decode()
    response = clerk.post("/rti/new/", _entry(ef, helper_posts=[ef.posts["sho"].pk]))
    assert response.status_code == 302
    with district_context("vaishali"):
        application = RtiApplication.objects.get()
        assert list(application.helper_posts.all()) == [ef.posts["sho"]]
    assert response["Location"] == f"/rti/{application.pk}/"
    page = clerk.get(response["Location"]).content.decode()
    assert application.number in page and "Sunita Kumari" in page
    assert shown(ago(2) + datetime.timedelta(days=30)) in page and "28 days left" in page
    with district_context("vaishali"):
        assert AuditEvent.objects.filter(action="rti.view", target_id=str(application.pk)).count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"received_on": "2025-02-30"},
        {"received_on": "\x00"},
        {"received_on": (TODAY + datetime.timedelta(days=1)).isoformat()},
        {"received_on": "2005-10-11"},
        {"received_at": "25:99"},
        {"mode": "pigeon"},
        {"fee": "\x00"},
        {"office": "99999999999999999999"},
        {"office": ""},
        {"pio_post": "\x00"},
        {"helper_posts": ["99999999999999999999"]},
        {"applicant_name": "   "},
        {"subject": "x\x00"},
        {"files": "NO/SUCH/FILE"},
        {"cases": "not a case"},
        {"cases": "999/2024"},
    ],
)
def test_bad_input_on_the_entry_form_is_a_form_error_and_writes_nothing(ef, change):
    response = ef.client("clerk").post("/rti/new/", _entry(ef, **change))
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    with district_context("vaishali"):
        assert not RtiApplication.objects.exists()


def test_the_entry_form_offers_only_offices_the_person_may_keep(ef):
    response = ef.client("sdpo").post("/rti/new/", _entry(ef))
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    with district_context("vaishali"):
        assert not RtiApplication.objects.exists()


def test_the_page_shows_every_clock_with_its_date_rule_and_section(ef):
    # Received 31 January 2025 through an APIO: reply due 7 March (35 days), transfer by 5 February.
    with district_context("vaishali"):
        application = receive(ef, received_on=datetime.date(2025, 1, 31), mode=RtiApplication.Mode.APIO)
        clocks = rti_clocks(application.facts, today=TODAY)
    page = ef.client("pio").get(f"/rti/{application.pk}/").content.decode()
    assert clocks.reply.due_on == datetime.date(2025, 3, 7)
    assert shown(datetime.date(2025, 3, 7)) in page and str(REPLY_30_APIO) in page
    assert "s.7(1)" in page and "s.5(2)" in page
    assert shown(datetime.date(2025, 2, 5)) in page and str(TRANSFER) in page and "s.6(3)" in page
    # No reply came: deemed refused from 8 March, first appeal within 30 days from 7 March.
    assert shown(clocks.deemed_refused_on) in page and shown(datetime.date(2025, 3, 8)) in page
    assert shown(clocks.first_appeal.due_on) in page and shown(datetime.date(2025, 4, 6)) in page
    assert "s.19(1)" in page and "s.7(2)" in page


def test_the_page_counts_days_left_from_today_and_shows_the_fee_pause(ef):
    with district_context("vaishali"):
        application = receive(ef, received_on=ago(20))
        services.rti_fee_ask(
            actor=ef.actor("pio"), application=application, amount=Decimal("4"), asked_on=ago(18)
        )
        paused_page = ef.client("pio").get(f"/rti/{application.pk}/").content.decode()
        services.rti_fee_paid(actor=ef.actor("pio"), application=application, paid_on=ago(15))
        overdue = receive(ef, received_on=ago(40))
    assert "no date while paused" in paused_page and "paused until payment" in paused_page
    page = ef.client("pio").get(f"/rti/{application.pk}/").content.decode()
    # Due 30 + 3 days from receipt, 20 days ago: 13 days left.
    assert "3 days not counted" in page and "13 days left" in page
    assert shown(ago(20) + datetime.timedelta(days=33)) in page
    late = ef.client("pio").get(f"/rti/{overdue.pk}/").content.decode()
    assert "overdue by 10 days" in late and "refused by silence" in late


def test_the_list_filters_by_clock_status_office_and_dates(ef):
    with district_context("vaishali"):
        overdue = receive(ef, received_on=ago(35), applicant_name="Overdue Singh")
        soon = receive(ef, received_on=ago(27), applicant_name="Soon Devi")
        later = receive(ef, received_on=ago(5), applicant_name="Later Prasad")
        receive(ef, received_on=ago(30), applicant_name="Today Kumar")
        replied = receive(ef, received_on=ago(33), applicant_name="Replied Ram")
        RtiApplication.objects.filter(pk=replied.pk).update(status=Status.REPLIED, replied_on=ago(10))
        sdpo_office = ef.offices["ef-sdpo-mahua"]
        receive(ef, "sdpo", office=sdpo_office, applicant_name="Mahua Yadav", pio_post=ef.posts["sdpo"])
    sp = ef.client("sp")
    everything = sp.get("/rti/").content.decode()
    assert all(name in everything for name in ("Overdue", "Soon", "Later", "Replied", "Mahua Yadav"))
    assert 'class="ef-overdue"' in everything and "overdue by 5 days" in everything

    def names(params) -> set[str]:
        page = sp.get("/rti/", params).content.decode()
        return {
            n
            for n in (
                "Overdue Singh",
                "Soon Devi",
                "Later Prasad",
                "Replied Ram",
                "Mahua Yadav",
                "Today Kumar",
            )
            if n in page
        }

    assert names({"overdue": "on"}) == {"Overdue Singh"}
    assert names({"due_within": "0"}) == {"Today Kumar"}
    assert names({"due_within": "5"}) == {"Soon Devi", "Today Kumar"}
    assert names({"due_within": "30"}) == {"Soon Devi", "Later Prasad", "Mahua Yadav", "Today Kumar"}
    assert names({"due_within": "5", "overdue": "on"}) == {"Overdue Singh", "Soon Devi", "Today Kumar"}
    assert names({"status": "replied"}) == {"Replied Ram"}
    assert names({"office": sdpo_office.pk}) == {"Mahua Yadav"}
    assert names({"received_from": ago(30).isoformat(), "received_to": ago(6).isoformat()}) == {
        "Soon Devi",
        "Today Kumar",
    }
    for odd in (
        {"office": "\x00"},
        {"due_within": "-1"},
        {"due_within": "x"},
        {"status": "nope"},
        {"page": "99999"},
    ):
        assert sp.get("/rti/", odd).status_code == 200
    with district_context("vaishali"):
        assert {overdue.pk, soon.pk, later.pk} <= set(RtiApplication.objects.values_list("pk", flat=True))


def test_the_changes_through_the_page_and_who_sees_which_form(ef):
    with district_context("vaishali"):
        application = receive(ef, received_on=ago(10))
    url = f"/rti/{application.pk}/"
    clerk_page = ef.client("clerk").get(url)
    pio_page = ef.client("pio").get(url)
    assert "fee/ask/" not in clerk_page.content.decode() and "fee/ask/" in pio_page.content.decode()
    assert clerk_page.context["can_reply"] is False and pio_page.context["can_reply"] is True
    assert list(pio_page.context["replies"]) == []
    pio = ef.client("pio")
    response = pio.post(f"{url}fee/ask/", {"amount": "25.50", "asked_on": ago(9).isoformat()})
    assert response.status_code == 302 and response["Location"] == f"{url}#life"
    # The clerk may record the payment, and a refused one shows the error on the page.
    refused = ef.client("clerk").post(f"{url}fee/paid/", {"paid_on": ago(12).isoformat()})
    assert refused.status_code == 200 and "cannot be paid before it was asked" in refused.content.decode()
    assert ef.client("clerk").post(f"{url}fee/paid/", {"paid_on": ago(8).isoformat()}).status_code == 302
    # A clerk's attempt at the PIO's decision is refused with the reason shown.
    denied = ef.client("clerk").post(
        f"{url}transfer/", {"transferred_to": "DM", "transferred_on": ago(1).isoformat()}
    )
    assert denied.status_code == 200 and "Only the public information officer" in denied.content.decode()
    with district_context("vaishali"):
        application.refresh_from_db()
        assert application.status == Status.RECEIVED and application.further_fee_amount == Decimal("25.50")
        assert application.further_fee_paid_on == ago(8) and application.transferred_on is None


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("fee/ask/", {"amount": "abc", "asked_on": "2025-01-01"}),
        ("fee/ask/", {"amount": "99999999999999", "asked_on": "2025-01-01"}),
        ("fee/ask/", {"amount": "10", "asked_on": "\x00"}),
        ("fee/ask/", {"amount": "0", "asked_on": "today"}),
        ("fee/paid/", {"paid_on": "2025-02-30"}),
        ("third-party/", {"notified_on": "9999-12-31"}),
        ("transfer/", {"transferred_to": "\x00", "transferred_on": "2025-01-01"}),
        ("transfer/", {"transferred_to": "x" * 301, "transferred_on": "2025-01-01"}),
        ("appeal/", {"received_on": TODAY.isoformat()}),
        ("appeal/decision/", {"decided_on": TODAY.isoformat()}),
    ],
)
def test_bad_input_on_a_change_form_is_an_error_on_the_page_and_writes_nothing(ef, action, data):
    with district_context("vaishali"):
        application = receive(ef, received_on=ago(10))
        before = AuditEvent.objects.count()
    response = ef.client("pio").post(f"/rti/{application.pk}/{action}", data)
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    with district_context("vaishali"):
        fresh = RtiApplication.objects.get(pk=application.pk)
        assert fresh.status == Status.RECEIVED and fresh.further_fee_asked_on is None
        assert fresh.third_party_notified_on is None and fresh.transferred_on is None
        assert fresh.appeal_received_on is None
        assert AuditEvent.objects.count() == before


def test_the_edit_page_changes_particulars_and_links_and_is_audited(ef):
    with district_context("vaishali"):
        case = register(ef)
        application = receive(ef)
    sp = ef.client("sp")
    url = f"/rti/{application.pk}/edit/"
    assert sp.get(url).status_code == 200
    with district_context("vaishali"):
        assert AuditEvent.objects.filter(action="rti.view", details__page="edit").count() == 1
    data = {
        "applicant_name": "Suresh Prasad",
        "applicant_address": "Mahua",
        "subject": "FIR copy",
        "fee": "bpl",
        "pio_post": ef.posts["pio"].pk,
        "helper_posts": [ef.posts["sho"].pk],
        "files": "",
        "cases": f"Mahua Thana {case.fir_number}/{case.year}",
    }
    for bad in ({"cases": f"Lalganj {case.fir_number}/{case.year}"}, {"files": "X/1"}, {"subject": "\x00"}):
        response = sp.post(url, data | bad)
        assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert sp.post(url, data).status_code == 302
    with district_context("vaishali"):
        application.refresh_from_db()
        assert application.applicant_name == "Suresh Prasad" and list(application.cases.all()) == [case]
        assert AuditEvent.objects.filter(action="rti.update", target_id=str(application.pk)).count() == 1
    page = sp.get(f"/rti/{application.pk}/").content.decode()
    assert f'href="/cases/{case.pk}/"' in page
    # The edit form shows the linked case as it can be typed again.
    assert f"Mahua Thana {case.fir_number}/{case.year}" in sp.get(url).content.decode()
