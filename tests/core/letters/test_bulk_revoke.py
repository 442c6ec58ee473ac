"""Ending postings in bulk (imports) revokes the officers' signing certificates as a single
``posting_end`` does: the next signing is refused, what was signed before stays valid, and the
certificates of people whose postings were not ended are untouched."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.letters.certificates import certificate_for
from core.letters.signing import letter_sign
from core.letters.verify import pdf_verify
from core.models import SigningCertificate
from core.org.services.posting_bulk import postings_end_bulk
from tenants.context import district_context
from tests.core.letters.letterwork import approved_letter
from tests.core.letters.test_signing import _signed


def test_bulk_posting_end_revokes_the_signing_certificate_at_once(ef):
    _dispatch, _signature, data = _signed(ef)
    second = approved_letter(ef)
    with district_context("vaishali"):
        other = certificate_for(person=ef.people["sdpo"], post=ef.posts["sdpo"])
        ended = postings_end_bulk(person_ids=[ef.people["sp"].pk], ends_on=timezone.localdate())
        assert ended == 1
        sp_certificate = SigningCertificate.objects.get(person=ef.people["sp"])
        assert sp_certificate.revoked_at is not None
        assert sp_certificate.revoked_reason == "posting ended"
        other.refresh_from_db()
        assert other.revoked_at is None
        with pytest.raises(ValidationError):
            letter_sign(actor=ef.actor("sp"), dispatch=second)
        verdict = pdf_verify(data)
    assert verdict.valid and verdict.revoked_at is not None


def test_bulk_posting_end_of_nobody_revokes_nothing(ef):
    _signed(ef)
    with district_context("vaishali"):
        assert postings_end_bulk(person_ids=[ef.people["sdpo"].pk], ends_on=timezone.localdate()) == 1
        assert SigningCertificate.objects.get(person=ef.people["sp"]).revoked_at is None
