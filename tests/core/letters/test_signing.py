"""Signed outward letters: the approving post signs (PAdES, its officer's certificate from the
district's authority), the signature verifies, one changed byte fails, others may not sign, and a
certificate revoked when the posting ends signs no more while what it signed stays valid."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.letters.files import stored_bytes
from core.letters.signing import letter_sign
from core.letters.verify import pdf_verify
from core.models import AuditEvent, LetterSignature, Posting, SigningAuthority, SigningCertificate
from core.org.services.postings import posting_end
from tenants.context import district_context
from tests.core.letters.letterwork import approved_letter


def _signed(ef):
    dispatch = approved_letter(ef)
    with district_context("vaishali"):
        signature = letter_sign(actor=ef.actor("sp"), dispatch=dispatch)
        return dispatch, signature, stored_bytes(signature.stored_name, signature.sha256)


def test_the_approving_sp_signs_and_the_pdf_verifies_with_who_where_when(ef):
    dispatch, signature, data = _signed(ef)
    with district_context("vaishali"):
        assert SigningAuthority.objects.count() == 1
        cert = SigningCertificate.objects.get()
        assert (cert.person, cert.post) == (ef.people["sp"], ef.posts["sp"])
        assert b"PRIVATE KEY" not in bytes(cert.key_encrypted)
        assert AuditEvent.objects.filter(action="letter.sign", target_id=str(dispatch.pk)).exists()
        verdict = pdf_verify(data)
    assert verdict.valid, verdict.message
    assert (verdict.signer, verdict.post, verdict.office) == ("Ef Sp", "SP Vaishali", "SP Office Vaishali")
    assert abs((verdict.signed_at - signature.signed_at).total_seconds()) < 60


@pytest.mark.parametrize("where", [0.3, 0.6, 0.97])
def test_one_changed_byte_fails_verification_with_a_clear_message(ef, where):
    _dispatch, _signature, data = _signed(ef)
    changed = bytearray(data)
    at = int(len(data) * where)
    changed[at] = (changed[at] + 1) % 256
    with district_context("vaishali"):
        verdict = pdf_verify(bytes(changed))
    assert not verdict.valid
    assert "ALTERED" in verdict.message or "damaged" in verdict.message


def test_bad_uploads_get_a_clear_answer(ef):
    with district_context("vaishali"):
        assert pdf_verify(b"hello").message == "This is not a PDF file."
        assert not pdf_verify(b"%PDF-1.7\n garbage").valid
        from core.base.pdf import pdf_bytes, pdf_new

        assert pdf_verify(pdf_bytes(pdf_new(title="plain"))).message == "This PDF carries no signature."
    # Another district's authority did not issue Vaishali's certificate.
    _dispatch, _signature, data = _signed(ef)
    with district_context("muzaffarpur"):
        verdict = pdf_verify(data)
    assert not verdict.valid and "not issued by this district" in verdict.message


@pytest.mark.parametrize("key", ["clerk", "sdpo", "other"])
def test_someone_other_than_the_approving_post_cannot_sign(ef, key):
    dispatch = approved_letter(ef)
    with district_context("vaishali"):
        with pytest.raises(ValidationError) as refused:
            letter_sign(actor=ef.actor(key), dispatch=dispatch)
        assert refused.value.code == "not_approving_post"
        assert not LetterSignature.objects.exists() and not SigningCertificate.objects.exists()


def test_a_revoked_certificate_stops_signing_at_once_and_earlier_letters_stay_valid(ef):
    _dispatch, _signature, data = _signed(ef)
    second = approved_letter(ef)
    with district_context("vaishali"):
        posting = Posting.objects.get(person=ef.people["sp"], post=ef.posts["sp"])
        posting_end(posting=posting, ends_on=timezone.localdate())
        assert SigningCertificate.objects.get().revoked_at is not None
        with pytest.raises(ValidationError) as refused:
            letter_sign(actor=ef.actor("sp"), dispatch=second)
        assert refused.value.code == "not_approving_post"
        verdict = pdf_verify(data)
    assert verdict.valid and verdict.revoked_at is not None
