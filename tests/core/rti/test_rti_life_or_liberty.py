"""A 48-hour (life or liberty) application stands out in the RTI register: marked, listed first
while it awaits its reply, and counted in hours left, not days."""

import datetime
import re

import pytest
from django.utils import timezone

from core.models import RtiApplication
from core.rti.clocks import INDIA, RtiFacts, rti_clocks
from tenants.context import district_context
from tests.core.rti.test_rti_receive import receive
from tests.helpers import HostClient

TODAY = timezone.localdate()
MARK = "48 hours: life or liberty"


def _rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr.*?</tr>", body, re.S)


def _received_hours_ago(hours: float) -> dict:
    moment = timezone.now().astimezone(INDIA) - datetime.timedelta(hours=hours)
    return {"received_on": moment.date(), "received_at": moment.time().replace(microsecond=0)}


def test_hours_left_are_counted_to_the_due_moment_rounded_up():
    received = datetime.datetime(2025, 5, 9, 10, 30, tzinfo=INDIA)
    facts = RtiFacts(received_on=received.date(), received_at=received.time(), life_or_liberty=True)
    reply = rti_clocks(
        facts, today=received.date(), now=received + datetime.timedelta(hours=6, minutes=10)
    ).reply
    assert reply.hours_left == 42 and not reply.overdue
    reply = rti_clocks(
        facts, today=received.date(), now=received + datetime.timedelta(hours=47, minutes=59)
    ).reply
    assert reply.hours_left == 1
    late = rti_clocks(facts, today=received.date(), now=received + datetime.timedelta(hours=49)).reply
    assert late.overdue and late.hours_left is None
    # An ordinary application keeps its days; a replied one has no hours.
    ordinary = rti_clocks(RtiFacts(received_on=received.date()), today=received.date(), now=received).reply
    assert ordinary.hours_left is None and ordinary.days_left == 30
    done = RtiFacts(
        received_on=received.date(),
        received_at=received.time(),
        life_or_liberty=True,
        replied_on=received.date(),
    )
    assert rti_clocks(done, today=received.date(), now=received).reply.hours_left is None


@pytest.mark.django_db
def test_the_48_hour_application_is_marked_listed_first_and_shows_hours_left(ef):
    with district_context("vaishali"):
        newest = receive(ef, received_on=TODAY, applicant_name="Newest Ordinary")
        urgent = receive(ef, life_or_liberty=True, applicant_name="Urgent Liberty", **_received_hours_ago(6))
        older_urgent = receive(
            ef, life_or_liberty=True, applicant_name="Older Urgent", **_received_hours_ago(30)
        )
        receive(ef, received_on=TODAY - datetime.timedelta(days=4), applicant_name="Older Ordinary")
        # Answered, or under a third party's notice (the 40-day clock): ordinary again.
        answered = receive(
            ef,
            life_or_liberty=True,
            applicant_name="Answered Liberty",
            received_on=TODAY - datetime.timedelta(days=1),
        )
        RtiApplication.objects.filter(pk=answered.pk).update(
            status=RtiApplication.Status.REPLIED, replied_on=TODAY
        )
    rows = _rows(ef.client("sp").get("/rti/").text)
    names = [
        next(
            n
            for n in ("Urgent Liberty", "Older Urgent", "Newest Ordinary", "Older Ordinary", "Answered")
            if n in row
        )
        for row in rows
    ]
    assert names[:2] == ["Older Urgent", "Urgent Liberty"], names
    assert names.index("Newest Ordinary") < names.index("Older Ordinary")

    older_row, urgent_row = rows[0], rows[1]
    assert MARK in urgent_row and MARK in older_row and 'class="rti-urgent"' in urgent_row
    assert re.search(r"\b4[12] hours left\b", urgent_row), urgent_row
    assert re.search(r"\b1[78] hours left\b", older_row), older_row
    assert "days left" not in urgent_row and "day left" not in urgent_row
    for row in rows[2:]:
        assert MARK not in row
    assert older_urgent.number in rows[0] and urgent.number in rows[1] and newest.number in rows[2]


@pytest.mark.django_db
def test_the_48_hour_mark_and_hours_in_hindi(ef):
    with district_context("vaishali"):
        receive(ef, life_or_liberty=True, applicant_name="Urgent Liberty", **_received_hours_ago(6))
    client = ef.client("sp")
    client.cookies["karyalay_language"] = "hi"
    row = _rows(client.get("/rti/").text)[0]
    assert "48 घंटे: जीवन या स्वतंत्रता" in row and re.search(r"4[12] घंटे शेष", row), row


@pytest.mark.django_db
def test_the_48_hour_application_is_not_shown_to_other_districts_or_people_with_no_posting(ef, world):
    with district_context("vaishali"):
        receive(ef, life_or_liberty=True, applicant_name="Urgent Liberty", **_received_hours_ago(6))
    other = ef.client("other").get("/rti/")
    assert other.status_code == 200 and "Urgent Liberty" not in other.text and MARK not in other.text
    unposted = HostClient("vaishali")
    unposted.sign_in("no.posting")
    response = unposted.get("/rti/")
    assert "Urgent Liberty" not in response.text and MARK not in response.text
