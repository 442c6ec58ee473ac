"""A letter's PDF, and the copies of letters' documents in this district's own storage.

Files live under ``district_media_dir(schema) / "letters/YYYY/MM/<uuid>"`` (server-made names);
a document of a letter from another district is a copy here, never a path into the sender's
storage. ``stored_bytes`` checks the SHA-256 recorded with the file before handing bytes on.
"""

from __future__ import annotations

import hashlib
import os
import uuid

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from core.base.names import name_in_language
from core.base.pdf import pdf_bytes, pdf_new, pdf_paragraph
from core.models import Dispatch
from tenants.storage import district_media_dir

LETTERS = "letters"


class StoredFileDamaged(Exception):
    """A stored letter file is missing or no longer has the SHA-256 recorded for it."""


def _path(stored_name: str):
    if not stored_name.startswith(f"{LETTERS}/") or ".." in stored_name:
        raise ValueError(f"Not a letter file: {stored_name!r}")
    return district_media_dir(connection.schema_name) / stored_name


def bytes_store(data: bytes) -> dict:
    """Write ``data`` to the current district's letter storage; returns its stored name, SHA-256
    and size. Written to a temporary name and renamed, so a half-written file never has the name."""
    now = timezone.localtime()
    stored_name = f"{LETTERS}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}"
    path = _path(stored_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".part")
    temp.write_bytes(data)
    os.replace(temp, path)
    return {"stored_name": stored_name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def bytes_remove(stored_name: str) -> None:
    _path(stored_name).unlink(missing_ok=True)


def stored_bytes(stored_name: str, sha256: str) -> bytes:
    """The bytes of a stored letter file, refused if missing or changed since it was stored."""
    try:
        data = _path(stored_name).read_bytes()
    except FileNotFoundError as error:
        raise StoredFileDamaged(stored_name) from error
    if hashlib.sha256(data).hexdigest() != sha256:
        raise StoredFileDamaged(stored_name)
    return data


def letter_pdf(dispatch: Dispatch) -> bytes:
    """The outward letter as a PDF: the issuing office, number and date, addressee, subject and
    (for a letter approved as a draft) its text and the approving post."""
    office = dispatch.office
    draft = getattr(dispatch, "draft", None)
    pdf = pdf_new(title=dispatch.subject, footer=dispatch.number)
    pdf_paragraph(
        pdf, f"{office.name} / {office.name_hi}" if office.name_hi else office.name, bold=True, align="C"
    )
    pdf_paragraph(
        pdf, f"{_('Letter no.')} {dispatch.number}    {_('Date')}: {dispatch.dispatched_on:%d.%m.%Y}"
    )
    pdf_paragraph(pdf, f"{_('To')}: {dispatch.addressee}")
    if dispatch.addressee_address:
        pdf_paragraph(pdf, dispatch.addressee_address)
    pdf_paragraph(pdf, f"{_('Subject')}: {dispatch.subject}", bold=True)
    if draft is not None:
        pdf_paragraph(pdf, draft.body)
        if draft.decided_post_id:
            pdf_paragraph(pdf, name_in_language(draft.decided_post, "title"), align="R")
    return pdf_bytes(pdf)
