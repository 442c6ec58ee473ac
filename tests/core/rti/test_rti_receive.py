"""Entering an RTI application: numbering, refusals, and who sees it afterwards."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.base.access import viewer_for
from core.models import AuditEvent, RtiApplication
from core.rti.access import rti_for, rti_post_id, rtis_visible
from core.rti.services.applications import rti_receive, rti_update
from tenants.context import district_context


def receive(ef, key="clerk", **extra):
    values = {
        "office": ef.offices["sp-office"],
        "received_on": timezone.localdate() - datetime.timedelta(days=3),
        "mode": RtiApplication.Mode.BY_HAND,
        "applicant_name": "सुरेश प्रसाद",
        "applicant_address": "ग्राम महुआ, वैशाली",
        "subject": "Copy of the FIR of Mahua PS case 123/2025",
        "pio_post": ef.posts["pio"],
    } | extra
    return rti_receive(actor=ef.actor(key), **values)


def update(ef, key, application, **change):
    """``application`` updated by ``key`` with ``change``, its other particulars as they are (the PIO
    post ``ef``'s PIO)."""
    return rti_update(
        actor=ef.actor(key),
        application=application,
        applicant_name=application.applicant_name,
        applicant_address=application.applicant_address,
        subject=application.subject,
        pio_post=ef.posts["pio"],
        fee=application.fee,
        **change,
    )


def test_applications_are_numbered_per_office_and_year_without_gaps(ef):
    with district_context("vaishali"):
        first = receive(ef)
        second = receive(ef)
        year = first.received_on.year
        assert first.number == f"RTI/SPVAI/{year}/0001"
        assert second.number == f"RTI/SPVAI/{year}/0002"
        event = AuditEvent.objects.filter(action="rti.receive").order_by("-id").first()
        assert event.target_id == str(second.pk)
        assert event.post_id == ef.posts["clerk"].pk


@pytest.mark.parametrize(
    ("field", "extra"),
    [
        ("received_on", {"received_on": timezone.localdate() + datetime.timedelta(days=1)}),
        ("received_on", {"received_on": datetime.date(2005, 10, 11)}),
        ("mode", {"mode": "pigeon"}),
        ("fee", {"fee": "maybe"}),
        ("applicant_name", {"applicant_name": "   "}),
    ],
)
def test_bad_entries_are_refused_and_leave_nothing(ef, field, extra):
    with district_context("vaishali"):
        with pytest.raises(ValidationError) as refused:
            receive(ef, **extra)
        assert field in refused.value.message_dict
        assert not RtiApplication.objects.exists()
        assert not AuditEvent.objects.filter(action="rti.receive").exists()


def test_an_officer_outside_the_office_cannot_enter_its_applications(ef):
    with district_context("vaishali"), pytest.raises(ValidationError) as refused:
        receive(ef, "sdpo")
    assert "office" in refused.value.message_dict


def test_who_sees_an_application(ef):
    with district_context("vaishali"):
        application = receive(ef, helper_posts=[ef.posts["sho"]])
        seen_by = {
            key
            for key in ("sp", "clerk", "pio", "sho", "si", "sdpo", "mahnar")
            if rti_for(viewer_for(ef.people[key]), application.pk) is not None
        }
        # The SP office's own posts, the SP, and the SHO whose help was sought; not the SI of the
        # thana, nor an SDPO (the SP office is above them, not below).
        assert seen_by == {"sp", "clerk", "pio", "sho"}
        assert rti_post_id(viewer_for(ef.people["sho"]), application) == ef.posts["sho"].pk
        assert rti_post_id(viewer_for(ef.people["pio"]), application) == ef.posts["pio"].pk
        assert not rtis_visible(viewer_for(None)).exists()


def test_an_sdpo_office_application_is_seen_by_its_sdpo_and_the_sp_only(ef):
    with district_context("vaishali"):
        application = receive(ef, "sdpoclerk", office=ef.offices["ef-sdpo-mahua"], pio_post=ef.posts["sdpo"])
        assert application.number.startswith("RTI/SDPOMAH/")
        for key, sees in (
            ("sdpo", True),
            ("sp", True),
            ("sdpoclerk", True),
            ("mahnar", False),
            ("pio", False),
        ):
            assert (rti_for(viewer_for(ef.people[key]), application.pk) is not None) is sees, key


def test_other_district_and_unposted_people_see_nothing(ef, world):
    with district_context("vaishali"):
        application = receive(ef)
    with district_context("muzaffarpur"):
        assert rti_for(viewer_for(ef.people["other"]), application.pk) is None
    with district_context("vaishali"):
        assert rti_for(viewer_for(world.unposted), application.pk) is None
        assert rti_for(viewer_for(ef.people["other"]), application.pk) is None
