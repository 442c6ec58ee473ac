"""Records as the API answers them (plain dicts the serializers describe)."""

from __future__ import annotations

from core.api.base import shaped
from core.api.serializers import (
    DocumentSerializer,
    FileSerializer,
    NoteSerializer,
    PersonSerializer,
    ReceiptSerializer,
    SentItemSerializer,
    StepSerializer,
    TrayItemSerializer,
    VersionSerializer,
)
from core.efile.selectors.inbox import item_overdue
from core.models import Document, EFile, Movement, Note, Receipt


def file_shape(file: EFile) -> dict:
    return shaped(file, FileSerializer)


def receipt_shape(receipt: Receipt) -> dict:
    return shaped(receipt, ReceiptSerializer)


def tray_shape(kind: str, item: EFile | Receipt) -> dict:
    return shaped(
        item,
        TrayItemSerializer,
        kind=kind,
        number=item.number if isinstance(item, EFile) else item.diary_number,
        new=item.received_at is None,
        overdue=item_overdue(item),
    )


def sent_shape(movement: Movement) -> dict:
    item = movement.file or movement.receipt
    return shaped(
        movement,
        SentItemSerializer,
        movement_id=movement.pk,
        kind="file" if movement.file_id else "dak",
        id=item.pk,
        number=item.number if movement.file_id else item.diary_number,
        subject=item.subject,
    )


def note_shape(note: Note) -> dict:
    return shaped(note, NoteSerializer)


def step_shape(movement: Movement) -> dict:
    return shaped(movement, StepSerializer)


def document_shape(document: Document) -> dict:
    return shaped(
        document,
        DocumentSerializer,
        versions=[shaped(v, VersionSerializer) for v in document.versions.order_by("number")],
    )


def person_shape(person) -> dict:
    return shaped(person, PersonSerializer)
