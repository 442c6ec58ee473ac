"""The outward register's service checks what the form checks, whoever calls it: no date sent in
the future, a mode of sending that exists. A refusal numbers nothing and records nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.efile.services.dispatch import dispatch_record
from core.models import AuditEvent, Dispatch, NumberSequence, Receipt
from tenants.context import district_context


def _record(ef, **kwargs):
    return dispatch_record(
        actor=ef.actor("clerk"), post=ef.posts["clerk"], addressee="IG", subject="Reply", **kwargs
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"dispatched_on": timezone.localdate() + datetime.timedelta(days=1)}, "dispatched_on"),
        ({"mode": "pigeon"}, "mode"),
        ({"mode": ""}, "mode"),
    ],
)
def test_a_future_date_or_an_unknown_mode_is_refused_on_its_field(ef, kwargs, field):
    with district_context("vaishali"):
        with pytest.raises(ValidationError) as refused:
            _record(ef, **kwargs)
        assert list(refused.value.message_dict) == [field]
        assert not Dispatch.objects.exists()
        assert not NumberSequence.objects.exists()
        assert not AuditEvent.objects.filter(action="dispatch.record").exists()


def test_today_a_past_date_and_every_mode_are_taken(ef):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with district_context("vaishali"):
        today = _record(ef)
        assert (today.dispatched_on, today.mode) == (timezone.localdate(), Receipt.Mode.POST)
        for mode in Receipt.Mode.values:
            assert _record(ef, mode=mode, dispatched_on=yesterday).mode == mode
        assert Dispatch.objects.count() == 1 + len(Receipt.Mode.values)
