"""Checking a signed letter's PDF against this district's signing authority (the public
verification page): signed by whom, as which post, in which office, when, intact or altered.

Anyone may ask; the answer says only what the PDF itself carries (and whether this district's
authority issued its certificate, and whether that certificate was revoked before the signing).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from core.letters.certificates import authority_certificate
from core.models import SigningCertificate

logger = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024


@dataclass
class Verdict:
    valid: bool
    message: str
    signer: str = ""
    post: str = ""
    office: str = ""
    organisation: str = ""
    signed_at: object = None
    revoked_at: object = None
    details: list[str] = field(default_factory=list)


def _attr(name, oid: str) -> str:
    for rdn in name.chosen:
        for attribute in rdn:
            if attribute["type"].native == oid:
                return str(attribute["value"].native)
    return ""


def pdf_verify(data: bytes) -> Verdict:
    """The verdict on an uploaded PDF. Never raises for bad input: a file that is not a PDF, has no
    signature, was changed after signing (one byte is enough), or was signed by a certificate this
    district did not issue, each gets its own clear message."""
    if not data.startswith(b"%PDF"):
        return Verdict(False, _("This is not a PDF file."))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # a damaged file: pyHanko raises many kinds
        return Verdict(False, _("This PDF is damaged or has been altered: it cannot be read as signed."))
    if not signatures:
        return Verdict(False, _("This PDF carries no signature."))
    signature = signatures[-1]
    root = asn1_x509.Certificate.load(authority_certificate().public_bytes(serialization.Encoding.DER))
    try:
        status = validate_pdf_signature(
            signature,
            ValidationContext(trust_roots=[root], allow_fetching=False, revocation_mode="soft-fail"),
        )
    except Exception:
        logger.info("Signature could not be validated", exc_info=True)
        return Verdict(False, _("The signature in this PDF is damaged or has been altered."))
    cert = status.signing_cert
    subject = cert.subject
    verdict = Verdict(
        False,
        "",
        signer=_attr(subject, "common_name"),
        post=_attr(subject, "title"),
        office=_attr(subject, "organizational_unit_name"),
        organisation=_attr(subject, "organization_name"),
        signed_at=status.signer_reported_dt,
    )
    if not status.intact or not status.valid:
        verdict.message = _("ALTERED: this PDF has been changed since it was signed. Do not rely on it.")
        return verdict
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        verdict.message = _(
            "ALTERED: something was added to this PDF after it was signed. Do not rely on it."
        )
        return verdict
    if not status.trusted:
        verdict.message = _(
            "The signature is intact, but its certificate was not issued by this district's "
            "signing authority."
        )
        return verdict
    issued = SigningCertificate.objects.filter(serial=format(cert.serial_number, "x")).first()
    if issued is None:
        verdict.message = _("The signature is intact, but this district has no record of its certificate.")
        return verdict
    verdict.revoked_at = issued.revoked_at
    if issued.revoked_at and (verdict.signed_at is None or verdict.signed_at >= issued.revoked_at):
        verdict.message = _("The certificate had been revoked when this PDF was signed. Do not rely on it.")
        return verdict
    verdict.valid = True
    verdict.message = _("VALID: signed by this district's officer and unchanged since it was signed.")
    return verdict
