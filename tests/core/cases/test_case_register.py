"""Registering a case: numbering unique per thana and year, who may register, refused inputs."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import override

from core.cases.services.register import case_register
from core.models import AuditEvent, Case, CaseCustody, PapersPlace
from tenants.context import district_context
from tests.core.cases.casework import a_date, register, second_thana


def _field_error(excinfo) -> set[str]:
    return set(excinfo.value.error_dict)


def test_a_registered_case_is_labelled_by_thana_number_and_year_with_its_papers_at_the_thana(ef):
    with district_context("vaishali"):
        case = register(ef, fir_number=123, year=2025)
        assert case.label == "Mahua PS case 123/2025"
        with override("hi"):
            assert "महुआ" in case.label and "123/2025" in case.label
        assert case.status == Case.Status.REGISTERED and case.papers_at == PapersPlace.THANA
        assert case.created_post == ef.posts["sho"]
        first = CaseCustody.objects.get(case=case)
        assert (first.from_place, first.to_place, first.moved_on) == (
            "",
            PapersPlace.THANA,
            case.registered_on,
        )
        event = AuditEvent.objects.get(action="case.register", target_id=str(case.pk))
        assert event.post_id == ef.posts["sho"].pk and event.summary == "Mahua PS case 123/2025"


def test_the_same_fir_number_twice_in_a_thana_and_year_is_refused_on_the_fir_number(ef):
    with district_context("vaishali"):
        register(ef, fir_number=7)
        with pytest.raises(ValidationError) as excinfo:
            register(ef, key="si", fir_number=7)
        assert _field_error(excinfo) == {"fir_number"}
        assert "already in the register" in str(excinfo.value)
        assert Case.objects.filter(fir_number=7).count() == 1


def test_the_same_fir_number_in_another_thana_or_another_year_is_a_different_case(ef):
    with district_context("vaishali"):
        lalganj = second_thana(ef)
        last_year = timezone.localdate().year - 1
        register(ef, fir_number=7)
        register(ef, key="sp", thana=lalganj, fir_number=7)
        register(ef, fir_number=7, year=last_year)
        assert Case.objects.filter(fir_number=7).count() == 3


def test_a_duplicate_that_slips_past_the_check_is_refused_by_the_constraint_as_a_field_error(ef, monkeypatch):
    with district_context("vaishali"):
        register(ef, fir_number=9)
        # As if another clerk's entry committed between the check and the insert.
        monkeypatch.setattr(QuerySet, "exists", lambda self: False)
        with pytest.raises(ValidationError) as excinfo:
            register(ef, key="si", fir_number=9)
        monkeypatch.undo()
        assert _field_error(excinfo) == {"fir_number"}
        assert Case.objects.filter(fir_number=9).count() == 1
        assert CaseCustody.objects.filter(case__fir_number=9).count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"registered_on": timezone.localdate() + datetime.timedelta(days=1)}, "registered_on"),
        ({"year": timezone.localdate().year - 1, "registered_on": timezone.localdate()}, "registered_on"),
        ({"year": 1800}, "year"),
        ({"year": timezone.localdate().year + 1}, "year"),
        ({"fir_number": 0}, "fir_number"),
        ({"fir_number": 10**12}, "fir_number"),
        ({"sections": "   "}, "sections"),
        ({"sections": "BNS\x00 103"}, "sections"),
        ({"accused": "x" * 20001}, "accused"),
    ],
)
def test_bad_inputs_are_refused_on_their_field_and_nothing_is_written(ef, change, field):
    data = {
        "year": timezone.localdate().year,
        "fir_number": 5,
        "registered_on": a_date(),
        "sections": "BNS 303(2)",
    } | change
    with district_context("vaishali"):
        with pytest.raises(ValidationError) as excinfo:
            case_register(actor=ef.actor("sho"), thana=ef.offices["ef-thana-mahua"], **data)
        assert _field_error(excinfo) == {field}
        assert not Case.objects.exists() and not AuditEvent.objects.filter(action="case.register").exists()


def test_cases_are_registered_only_at_a_thana(ef):
    with district_context("vaishali"):
        with pytest.raises(ValidationError) as excinfo:
            register(ef, key="sdpo", thana=ef.offices["ef-sdpo-mahua"])
        assert _field_error(excinfo) == {"thana"}


@pytest.mark.parametrize("key", ["sho", "si", "sdpo", "sp"])
def test_thana_officers_and_supervisors_over_the_thana_may_register(ef, key):
    with district_context("vaishali"):
        assert register(ef, key=key).thana == ef.offices["ef-thana-mahua"]


@pytest.mark.parametrize("key", ["clerk", "pio", "mahnar", "sdpoclerk"])
def test_officers_without_the_thana_may_not_register_there(ef, key):
    with district_context("vaishali"):
        with pytest.raises(ValidationError) as excinfo:
            register(ef, key=key)
        assert _field_error(excinfo) == {"thana"}
        assert not Case.objects.exists()
