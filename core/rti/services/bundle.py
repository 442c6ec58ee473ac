"""Making a reply's PDF and zip, in the background (``core.rti.tasks.rti_reply_bundle_task``).

The PDF is the letter (``core.base.pdf``, in the reply's language) followed by the latest version of
each disclosed document: PDFs appended page by page (pypdf), images one page per frame (Pillow).
The zip holds the letter PDF and the originals as stored, under safe names with the extension of
their checked type. Both are stored in
the district's storage with their SHA-256, and the reply becomes ready.

Every original is read back and checked against its recorded SHA-256 first: a changed or
unreadable stored document fails the reply (status failed, with the error) and nothing is stored.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

import pypdf
from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _
from PIL import Image, ImageSequence

from core.base.audit import audit_append
from core.base.names import name_in_language
from core.base.pdf import pdf_bytes, pdf_heading, pdf_new, pdf_paragraph
from core.base.serving import download_name
from core.base.storage import placement, stored_name_new, stored_path, temp_dir
from core.models import DocumentVersion, RtiReply
from core.rti.services.reply_terms import latest_version, rejection_section_label

logger = logging.getLogger(__name__)

PDF = "application/pdf"
ERROR_MAX = 2000


class BundleError(Exception):
    """A reply cannot be made (a disclosed document is missing, changed or unreadable)."""


@dataclass(frozen=True)
class _Original:
    title: str
    version: DocumentVersion
    data: bytes


def _date(day) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def letter_pdf(reply: RtiReply, originals: list[_Original] = ()) -> bytes:
    """The reply letter, in the reply's language."""
    application = reply.application
    with translation.override(reply.language):
        office = name_in_language(application.office)
        pio = name_in_language(reply.post, "title")
        pdf = pdf_new(title=_("Reply to RTI application %(number)s") % {"number": application.number})
        pdf_heading(pdf, office)
        pdf_paragraph(pdf, _("Office of the Public Information Officer"), bold=True)
        pdf_paragraph(
            pdf,
            _("Letter no. %(number)s/%(reply)d    Date: %(date)s")
            % {"number": application.number, "reply": reply.pk, "date": _date(reply.replied_on)},
        )
        pdf.ln(3)
        pdf_paragraph(pdf, _("To,"))
        pdf_paragraph(pdf, application.applicant_name, bold=True)
        pdf_paragraph(pdf, application.applicant_address)
        pdf.ln(3)
        pdf_paragraph(
            pdf,
            _(
                "Subject: Reply to your application under the Right to Information Act, 2005, "
                "received on %(date)s."
            )
            % {"date": _date(application.received_on)},
            bold=True,
        )
        pdf_paragraph(pdf, _("Information asked for: %(subject)s") % {"subject": application.subject})
        pdf.ln(3)
        pdf_paragraph(pdf, reply.body)
        pdf.ln(2)
        if reply.kind == RtiReply.Kind.REJECTION:
            pdf_paragraph(
                pdf,
                _("The information asked for is refused under section %(section)s of the Act.")
                % {"section": rejection_section_label(reply.rejection_section)},
                bold=True,
            )
        if reply.appeal_authority:
            pdf_paragraph(
                pdf,
                _(
                    "If you are not satisfied with this reply, you may appeal to %(authority)s "
                    "within %(days)d days of receiving it (section 19(1) of the Act)."
                )
                % {"authority": reply.appeal_authority, "days": reply.appeal_days},
            )
        if originals:
            pdf.ln(2)
            pdf_paragraph(pdf, _("Enclosures:"), bold=True)
            for number, original in enumerate(originals, start=1):
                pdf_paragraph(pdf, f"{number}. {original.title}")
        pdf.ln(8)
        pdf_paragraph(pdf, _("Public Information Officer"), bold=True, align="R")
        pdf_paragraph(pdf, f"{pio}, {office}", align="R")
        return pdf_bytes(pdf)


def _originals(reply: RtiReply) -> list[_Original]:
    """The latest version of each disclosed document, read and checked against its SHA-256."""
    originals = []
    for document in reply.documents.order_by("id"):
        version = latest_version(document)
        if version is None:
            raise BundleError(f"document {document.pk} has no stored version")
        try:
            data = stored_path(version.stored_name).read_bytes()
        except OSError as error:
            raise BundleError(f"document {document.pk} version {version.number}: {error}") from error
        if hashlib.sha256(data).hexdigest() != version.sha256:
            raise BundleError(f"document {document.pk} version {version.number}: stored file changed")
        originals.append(_Original(title=document.title, version=version, data=data))
    return originals


def _image_pages(data: bytes) -> bytes:
    """An image as a PDF, one page per frame (a multi-page TIFF scan keeps its pages)."""
    with Image.open(io.BytesIO(data)) as image:
        frames = [frame.convert("RGB") for frame in ImageSequence.Iterator(image)]
    out = io.BytesIO()
    frames[0].save(out, format="PDF", save_all=True, append_images=frames[1:], resolution=150)
    return out.getvalue()


def bundle_pdf(letter: bytes, originals: list[_Original]) -> bytes:
    writer = pypdf.PdfWriter()
    writer.append(pypdf.PdfReader(io.BytesIO(letter)))
    for original in originals:
        part = original.data if original.version.content_type == PDF else _image_pages(original.data)
        reader = pypdf.PdfReader(io.BytesIO(part), strict=False)
        if reader.is_encrypted:
            raise BundleError(f"document {original.version.document_id} is encrypted")
        writer.append(reader)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def safe_name(name: str, fallback: str = "document") -> str:
    """A name to put in a zip: no folders, no control or reserved characters, not hidden."""
    name = os.path.basename(name.replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"/\\|?*]', "_", name).strip().lstrip(".")
    return name[:120] or fallback


def bundle_zip(letter: bytes, letter_name: str, originals: list[_Original]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"00-{safe_name(letter_name, 'letter.pdf')}", letter)
        for number, original in enumerate(originals, start=1):
            # Named by the type its content was checked to be, never the uploader's suffix.
            name = download_name(original.version.original_name, original.version.content_type)
            archive.writestr(f"{number:02d}-{safe_name(name)}", original.data)
    return out.getvalue()


def reply_file_stem(reply: RtiReply) -> str:
    """``RTI-SPVAI-2025-0012-reply-7``: the stem of the names offered on download."""
    return f"{reply.application.number.replace('/', '-')}-reply-{reply.pk}"


def _write_temp(data: bytes) -> str:
    path = temp_dir() / f"{uuid.uuid4().hex}.rti"
    path.write_bytes(data)
    return str(path)


def _failed(reply_id: int, error: str) -> None:
    with transaction.atomic():
        RtiReply.objects.filter(pk=reply_id).exclude(status=RtiReply.Status.READY).update(
            status=RtiReply.Status.FAILED, error=error[:ERROR_MAX]
        )


def _store(reply_id: int, pdf: bytes, archive: bytes) -> RtiReply | None:
    """Move both files into storage and mark the reply ready, in one transaction; a reply made
    ready meanwhile (a second worker), or gone, keeps what it has and nothing new is stored."""
    temps = [_write_temp(pdf), _write_temp(archive)]
    try:
        with transaction.atomic():
            reply = RtiReply.objects.select_for_update().filter(pk=reply_id).first()
            if reply is None or reply.status == RtiReply.Status.READY:
                return reply
            with placement() as placed:
                reply.pdf_stored, reply.zip_stored = stored_name_new(), stored_name_new()
                placed.move(temps[0], reply.pdf_stored)
                placed.move(temps[1], reply.zip_stored)
                reply.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
                reply.zip_sha256 = hashlib.sha256(archive).hexdigest()
                reply.status, reply.error = RtiReply.Status.READY, ""
                reply.save(
                    update_fields=["pdf_stored", "pdf_sha256", "zip_stored", "zip_sha256", "status", "error"]
                )
                audit_append(
                    actor=None,
                    action="rti.reply_ready",
                    target=reply.application,
                    summary=reply.application.number,
                    details={
                        "reply": reply.pk,
                        "pdf_sha256": reply.pdf_sha256,
                        "zip_sha256": reply.zip_sha256,
                    },
                )
            return reply
    finally:
        for temp in temps:
            if os.path.exists(temp):
                os.unlink(temp)


def rti_reply_bundle_make(*, reply_id: int) -> RtiReply | None:
    """Make and store the PDF and zip of a reply, under the current district. A reply that is gone
    returns None; one already ready is left as it is (so running twice stores nothing twice). A
    disclosed document missing, changed or unreadable marks the reply failed with the error, and
    nothing is stored."""
    reply = RtiReply.objects.select_related("application__office", "post").filter(pk=reply_id).first()
    if reply is None or reply.status == RtiReply.Status.READY:
        return reply
    try:
        originals = _originals(reply)
        letter = letter_pdf(reply, originals)
        pdf = bundle_pdf(letter, originals)
        archive = bundle_zip(letter, f"{reply_file_stem(reply)}-letter.pdf", originals)
    except Exception as error:  # noqa: BLE001 - any unreadable input fails this reply, not the worker
        logger.warning("RTI reply %s could not be made: %s", reply_id, error)
        _failed(reply_id, f"{type(error).__name__}: {error}")
        return RtiReply.objects.filter(pk=reply_id).first()
    return _store(reply_id, pdf, archive)


__all__ = ["bundle_pdf", "bundle_zip", "letter_pdf", "reply_file_stem", "rti_reply_bundle_make", "safe_name"]
