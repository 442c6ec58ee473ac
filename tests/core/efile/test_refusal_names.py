"""A refusal names posts and offices in the language of the page, as the pages do: in Hindi, the
Hindi title where one is stored (the English one otherwise)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.efile.services.dispatch import dispatch_record
from core.efile.services.receipts import receipt_send
from core.models import Office, Post
from tenants.context import district_context
from tests.core.efile.test_receipts import diarise


def _not_held(ef) -> str:
    with pytest.raises(ValidationError) as refused:
        dispatch_record(actor=ef.actor("si"), post=ef.posts["clerk"], addressee="IG", subject="Reply")
    return refused.value.messages[0]


def test_a_refusal_in_hindi_names_the_post_in_hindi(ef):
    with district_context("vaishali"):
        Post.objects.filter(pk=ef.posts["clerk"].pk).update(title_hi="डाक लिपिक, एसपी कार्यालय")
        ef.posts["clerk"].refresh_from_db()
        with translation.override("hi"):
            assert _not_held(ef) == "आप डाक लिपिक, एसपी कार्यालय पद पर पदस्थापित नहीं हैं।"
        with translation.override("en"):
            assert _not_held(ef) == "You do not hold the post Dak clerk, SP office."


def test_a_closed_office_is_named_in_hindi_and_an_untranslated_title_stays_english(ef):
    with district_context("vaishali"):
        receipt = diarise(ef)
        Office.objects.filter(code="ef-sdpo-mahnar").update(status=Office.Status.CLOSED)
        with translation.override("hi"), pytest.raises(ValidationError) as refused:
            receipt_send(actor=ef.actor("clerk"), receipt=receipt, to_post=ef.posts["mahnar"])
        message = refused.value.messages[0]
        assert "एसडीपीओ कार्यालय महनार" in message and "SDPO Office Mahnar" not in message
        assert "SDPO Mahnar" in message  # the post has no Hindi title: its English one
