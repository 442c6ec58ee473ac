"""Records as the API answers them (plain dicts the serializers describe)."""

from __future__ import annotations

from core.efile.selectors.inbox import item_overdue
from core.models import Document, EFile, Movement, Note, Receipt


def file_shape(file: EFile) -> dict:
    return {
        "id": file.pk,
        "number": file.number,
        "subject": file.subject,
        "category": file.category,
        "priority": file.priority,
        "confidentiality": file.confidentiality,
        "status": file.status,
        "office_id": file.office_id,
        "current_post_id": file.current_post_id,
        "arrived_at": file.arrived_at,
        "received_at": file.received_at,
        "due_on": file.due_on,
        "closed_at": file.closed_at,
    }


def receipt_shape(receipt: Receipt) -> dict:
    return {
        "id": receipt.pk,
        "diary_number": receipt.diary_number,
        "subject": receipt.subject,
        "sender": receipt.sender,
        "mode": receipt.mode,
        "received_on": receipt.received_on,
        "letter_date": receipt.letter_date,
        "letter_reference": receipt.letter_reference,
        "status": receipt.status,
        "office_id": receipt.office_id,
        "current_post_id": receipt.current_post_id,
        "file_id": receipt.file_id,
        "arrived_at": receipt.arrived_at,
        "received_at": receipt.received_at,
        "due_on": receipt.due_on,
    }


def tray_shape(kind: str, item: EFile | Receipt) -> dict:
    return {
        "kind": kind,
        "id": item.pk,
        "number": item.number if isinstance(item, EFile) else item.diary_number,
        "subject": item.subject,
        "status": item.status,
        "current_post_id": item.current_post_id,
        "arrived_at": item.arrived_at,
        "due_on": item.due_on,
        "new": item.received_at is None,
        "overdue": item_overdue(item),
    }


def sent_shape(movement: Movement) -> dict:
    item = movement.file or movement.receipt
    return {
        "movement_id": movement.pk,
        "kind": "file" if movement.file_id else "dak",
        "id": item.pk,
        "number": item.number if movement.file_id else item.diary_number,
        "subject": item.subject,
        "action": movement.action,
        "at": movement.at,
        "from_post_id": movement.from_post_id,
        "to_post_id": movement.to_post_id,
        "remarks": movement.remarks,
        "received_at": movement.received_at,
    }


def note_shape(note: Note) -> dict:
    return {
        "seq": note.seq,
        "body": note.body,
        "author_id": note.author_id,
        "author_post_id": note.author_post_id,
        "created_at": note.created_at,
        "edited_at": note.edited_at,
    }


def step_shape(movement: Movement) -> dict:
    return {
        "action": movement.action,
        "at": movement.at,
        "from_post_id": movement.from_post_id,
        "to_post_id": movement.to_post_id,
        "by_id": movement.by_id,
        "remarks": movement.remarks,
        "received_at": movement.received_at,
    }


def document_shape(document: Document) -> dict:
    return {
        "id": document.pk,
        "title": document.title,
        "file_id": document.file_id,
        "receipt_id": document.receipt_id,
        "case_id": document.case_id,
        "created_at": document.created_at,
        "versions": [
            {
                "number": v.number,
                "original_name": v.original_name,
                "content_type": v.content_type,
                "size": v.size,
                "sha256": v.sha256,
                "pages": v.pages,
                "uploaded_at": v.uploaded_at,
            }
            for v in document.versions.order_by("number")
        ],
    }


def person_shape(person) -> dict:
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "full_name_hi": person.full_name_hi,
        "rank": person.rank,
        "service_number": person.service_number,
    }
