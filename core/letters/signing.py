"""Signing an outward letter: its PDF signed PAdES (pyHanko) with the approving officer's
certificate from the district's authority, stored, and audited in the same transaction."""

from __future__ import annotations

import io

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from core.base.actors import as_post
from core.base.audit import Actor, audit_append
from core.base.names import name_in_language
from core.letters.certificates import authority_certificate, certificate_for, certificates_revoke_for
from core.letters.files import bytes_remove, bytes_store, letter_pdf
from core.letters.keys import key_open
from core.models import Dispatch, LetterSignature, Posting, SigningCertificate


def _asn1_cert(pem: str) -> asn1_x509.Certificate:
    from cryptography import x509

    der = x509.load_pem_x509_certificate(pem.encode()).public_bytes(serialization.Encoding.DER)
    return asn1_x509.Certificate.load(der)


def pdf_sign(data: bytes, *, certificate: SigningCertificate, reason: str, location: str) -> bytes:
    """``data`` signed PAdES (B-B, SHA-256) with ``certificate``'s key, the authority's certificate
    embedded so a reader can build the chain."""
    ca = authority_certificate().public_bytes(serialization.Encoding.DER)
    key = key_open(certificate.key_encrypted).private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    signer = signers.SimpleSigner(
        signing_cert=_asn1_cert(certificate.certificate_pem),
        signing_key=asn1_keys.PrivateKeyInfo.load(key),
        cert_registry=SimpleCertificateStore.from_certs([asn1_x509.Certificate.load(ca)]),
    )
    meta = signers.PdfSignatureMetadata(
        field_name="KaryalaySignature",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )
    out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)), meta, signer=signer)
    return out.getvalue()


def _require_signer(actor: Actor, dispatch: Dispatch):
    """The approving post of the letter, held by the actor in a posting that is not ending (a
    posting ended today, the day of a transfer, signs no more), with no certificate revoked since
    that posting began."""
    draft = getattr(dispatch, "draft", None)
    if draft is None or draft.decided_post_id is None:
        raise ValidationError(
            _("Only a letter approved as a draft on a file is signed; this one was entered by hand."),
            code="not_approved_draft",
        )
    post = draft.decided_post
    today = timezone.localdate()
    posting = (
        Posting.objects.filter(person=actor.person, post=post, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today))
        .order_by("-starts_on")
        .first()
        if actor.person is not None
        else None
    )
    if posting is None:
        raise ValidationError(
            _("Only the post that approved this letter (%(post)s) signs it, by the officer who holds it.")
            % {"post": name_in_language(post, "title")},
            code="not_approving_post",
        )
    if SigningCertificate.objects.filter(
        person=actor.person, post=post, revoked_at__date__gte=posting.starts_on
    ).exists():
        raise ValidationError(
            _("Your signing certificate for %(post)s has been revoked; it signs no more.")
            % {"post": name_in_language(post, "title")},
            code="revoked",
        )
    return post


@transaction.atomic
def letter_sign(*, actor: Actor, dispatch: Dispatch) -> LetterSignature:
    """Sign an outward letter approved as a draft: only a holder of the approving post, with a
    certificate that is not revoked. The PDF is rendered (``letter_pdf``), signed, stored in this
    district's storage with its SHA-256, and the signing audited, all or nothing. Signed once."""
    dispatch = Dispatch.objects.select_for_update().select_related("office").get(pk=dispatch.pk)
    post = _require_signer(actor, dispatch)
    if LetterSignature.objects.filter(dispatch=dispatch).exists():
        raise ValidationError(_("This letter is already signed."), code="already_signed")
    certificate = certificate_for(person=actor.person, post=post)
    signed = pdf_sign(
        letter_pdf(dispatch),
        certificate=certificate,
        reason=f"{dispatch.number}: {dispatch.subject}"[:200],
        location=dispatch.office.name,
    )
    stored = bytes_store(signed)
    try:
        signature = LetterSignature.objects.create(
            dispatch=dispatch,
            certificate=certificate,
            stored_name=stored["stored_name"],
            sha256=stored["sha256"],
            size=stored["size"],
        )
        audit_append(
            actor=as_post(actor, post),
            action="letter.sign",
            target=dispatch,
            summary=f"{dispatch.number} signed as {post.title}",
            details={"sha256": stored["sha256"], "certificate": certificate.serial},
        )
    except BaseException:
        bytes_remove(stored["stored_name"])
        raise
    return signature


def posting_ended(*, person_id: int, post_id: int) -> None:
    """Called by ``posting_end``: the person's certificate as that post stops signing at once."""
    certificates_revoke_for(person_id=person_id, post_id=post_id, reason="posting ended")
