"""Back-entered work feeds the clocks with its true dates: an RTI application that came as dak
during an outage is registered with the back-entered letter's true day and time, so its reply is
due 30 days from then, not from the day it was typed in; the trays' arrival is the true time."""

import datetime

import pytest
from django.utils import timezone

from core.efile.selectors.pending import BUCKETS
from core.models import EFile, RtiApplication
from core.outage.services import outage_dak_back_enter, outage_declare
from core.rti.clocks import rti_clocks
from core.rti.services.applications import rti_receive
from tests.core.outage.conftest import admin_actor, ago, file_from_before, sent_on_the_slip

pytestmark = pytest.mark.django_db


def test_rti_application_received_in_an_outage_runs_from_its_true_day(ef, vaishali):
    outage = outage_declare(
        actor=admin_actor(),
        office=ef.offices["sp-office"],
        started_at=ago(days=12),
        diary_count=2,
        slip_count=1,
    )
    true_time = ago(days=10)
    receipt = outage_dak_back_enter(
        actor=ef.actor("clerk"),
        outage=outage,
        post=ef.posts["clerk"],
        number=outage.numbers.filter(kind="diary").first().number,
        occurred_at=true_time,
        mode="hand",
        sender="Suresh Prasad",
        subject="RTI: copy of the FIR of Mahua PS case 123",
    )
    application = rti_receive(
        actor=ef.actor("clerk"),
        office=ef.offices["sp-office"],
        received_on=receipt.received_on,
        received_at=timezone.localtime(receipt.created_at).time(),
        mode=RtiApplication.Mode.BY_HAND,
        applicant_name="Suresh Prasad",
        applicant_address="Mahua",
        subject=receipt.subject,
        pio_post=ef.posts["pio"],
    )
    clocks = rti_clocks(application.facts, today=timezone.localdate())
    assert receipt.received_on == timezone.localdate(true_time)
    assert clocks.reply.due_on == receipt.received_on + datetime.timedelta(days=30)
    assert clocks.reply.days_left == 20


def test_a_file_sent_on_paper_ages_in_the_trays_from_its_true_time(ef, vaishali):
    outage = outage_declare(
        actor=admin_actor(),
        office=ef.offices["ef-sdpo-mahua"],
        started_at=ago(days=20),
        diary_count=1,
        slip_count=1,
    )
    file = file_from_before(ef, "sdpoclerk", days=25)
    sent_on_the_slip(ef, outage, file, occurred_at=ago(days=16))
    now = timezone.now()
    ages = [b.key for b in BUCKETS if EFile.objects.filter(b.q(now), pk=file.pk).exists()]
    assert ages == ["15-30"]  # sent 16 days ago on paper, entered today
