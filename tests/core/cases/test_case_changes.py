"""Changing a case: status and IO changes audited, the custody history of its papers, refusals."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.base.access import viewer_for
from core.cases.access import cases_visible
from core.cases.services.register import case_custody_move, case_update
from core.models import AuditEvent, Case, CaseCustody, PapersPlace, Post
from tenants.context import district_context
from tests.core.cases.casework import register

DAY = datetime.timedelta(days=1)


def _particulars(case, **change):
    data = {
        name: getattr(case, name)
        for name in ("status", "io_post", "sections", "brief_facts", "complainant", "accused")
    }
    return data | change


def test_status_goes_through_its_stages_each_change_audited_old_to_new(ef):
    with district_context("vaishali"):
        case = register(ef)
        for status in (Case.Status.INVESTIGATING, Case.Status.CHARGE_SHEETED, Case.Status.DISPOSED):
            case = case_update(actor=ef.actor("sho"), case=case, **_particulars(case, status=status))
        case.refresh_from_db()
        assert case.status == Case.Status.DISPOSED
        changes = [
            event.details["changes"]["status"]
            for event in AuditEvent.objects.filter(action="case.update", target_id=str(case.pk)).order_by(
                "id"
            )
        ]
        assert changes == [
            ["registered", "investigating"],
            ["investigating", "charge_sheeted"],
            ["charge_sheeted", "disposed"],
        ]


def test_the_io_post_sees_the_case_wherever_it_sits_and_loses_it_when_replaced(ef):
    with district_context("vaishali"):
        case = register(ef)
        pio = viewer_for(ef.people["pio"])
        assert not cases_visible(pio).exists()
        case = case_update(actor=ef.actor("sdpo"), case=case, **_particulars(case, io_post=ef.posts["pio"]))
        assert list(cases_visible(pio)) == [case]
        # The IO changes the status, acting as the IO's post.
        case = case_update(
            actor=ef.actor("pio"), case=case, **_particulars(case, status=Case.Status.INVESTIGATING)
        )
        assert (
            AuditEvent.objects.filter(action="case.update").order_by("-id").first().post_id
            == ef.posts["pio"].pk
        )
        case = case_update(actor=ef.actor("sho"), case=case, **_particulars(case, io_post=ef.posts["si"]))
        assert not cases_visible(pio).exists()


def test_a_change_that_changes_nothing_or_an_unknown_status_is_refused(ef):
    with district_context("vaishali"):
        case = register(ef)
        with pytest.raises(ValidationError, match="Nothing was changed"):
            case_update(actor=ef.actor("sho"), case=case, **_particulars(case))
        with pytest.raises(ValidationError) as excinfo:
            case_update(actor=ef.actor("sho"), case=case, **_particulars(case, status="closed"))
        assert set(excinfo.value.error_dict) == {"status"}
        with pytest.raises(ValidationError) as excinfo:
            case_update(
                actor=ef.actor("sho"),
                case=case,
                **_particulars(case, io_post=Post.objects.get(code="district-admin")),
            )
        assert set(excinfo.value.error_dict) == {"io_post"}
        assert not AuditEvent.objects.filter(action="case.update").exists()


@pytest.mark.parametrize("key", ["clerk", "mahnar", "sdpoclerk"])
def test_officers_who_may_not_see_the_case_may_not_change_it_or_move_its_papers(ef, key):
    with district_context("vaishali"):
        case = register(ef)
        with pytest.raises(ValidationError, match="may not change"):
            case_update(actor=ef.actor(key), case=case, **_particulars(case, status=Case.Status.FINAL_REPORT))
        with pytest.raises(ValidationError, match="may not change"):
            case_custody_move(
                actor=ef.actor(key), case=case, to_place=PapersPlace.COURT, moved_on=timezone.localdate()
            )
        case.refresh_from_db()
        assert case.status == Case.Status.REGISTERED and case.papers_at == PapersPlace.THANA


def test_custody_history_keeps_every_move_in_order_and_the_case_says_where_the_papers_are(ef):
    today = timezone.localdate()
    with district_context("vaishali"):
        case = register(ef, year=today.year - 1)
        case_custody_move(
            actor=ef.actor("sho"), case=case, to_place=PapersPlace.SDPO_OFFICE, moved_on=today - 3 * DAY
        )
        case_custody_move(
            actor=ef.actor("sdpo"),
            case=case,
            to_place=PapersPlace.COURT,
            moved_on=today - DAY,
            remarks="For trial",
        )
        case.refresh_from_db()
        assert case.papers_at == PapersPlace.COURT
        rows = list(
            CaseCustody.objects.filter(case=case).values_list(
                "from_place", "to_place", "by_post_id", "remarks"
            )
        )
        assert rows == [
            ("", "thana", ef.posts["sho"].pk, "Case registered."),
            ("thana", "sdpo_office", ef.posts["sho"].pk, ""),
            ("sdpo_office", "court", ef.posts["sdpo"].pk, "For trial"),
        ]
        events = AuditEvent.objects.filter(action="case.custody_move", target_id=str(case.pk)).order_by("id")
        assert [(e.details["from"], e.details["to"]) for e in events] == [
            ("thana", "sdpo_office"),
            ("sdpo_office", "court"),
        ]


@pytest.mark.parametrize(
    ("place", "days_ago", "field"),
    [
        (PapersPlace.THANA, 0, "to_place"),  # already there
        ("attic", 0, "to_place"),
        (PapersPlace.COURT, -1, "moved_on"),  # tomorrow
        (PapersPlace.COURT, 800, "moved_on"),  # before the case was registered
    ],
)
def test_a_bad_move_is_refused_on_its_field_and_leaves_the_history_alone(ef, place, days_ago, field):
    with district_context("vaishali"):
        case = register(ef)
        with pytest.raises(ValidationError) as excinfo:
            case_custody_move(
                actor=ef.actor("sho"),
                case=case,
                to_place=place,
                moved_on=timezone.localdate() - days_ago * DAY,
            )
        assert set(excinfo.value.error_dict) == {field}
        assert CaseCustody.objects.filter(case=case).count() == 1
        case.refresh_from_db()
        assert case.papers_at == PapersPlace.THANA


def test_a_move_cannot_be_dated_before_the_last_move(ef):
    today = timezone.localdate()
    with district_context("vaishali"):
        case = register(ef, year=today.year - 1)
        case_custody_move(actor=ef.actor("sho"), case=case, to_place=PapersPlace.COURT, moved_on=today - DAY)
        with pytest.raises(ValidationError) as excinfo:
            case_custody_move(
                actor=ef.actor("sho"), case=case, to_place=PapersPlace.THANA, moved_on=today - 5 * DAY
            )
        assert set(excinfo.value.error_dict) == {"moved_on"}
