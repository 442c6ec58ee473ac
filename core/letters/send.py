"""Sending an outward letter to an office of another district through Karyalay."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.base.actors import as_post, require_post_held
from core.base.audit import Actor, audit_append
from core.letters.files import bytes_store, letter_pdf, stored_bytes
from core.letters.tasks import letters_relay_on_commit
from core.models import Circular, Dispatch, ExchangeOutbox, IncomingLetter, OutgoingLetter, Post
from tenants.models import District, OfficeDirectoryEntry

# Why a district that is not live cannot be written to, by its status.
NOT_LIVE = {
    District.Status.PLANNED: gettext_lazy(
        "%(district)s is not yet on Karyalay (planned); send the letter on paper."
    ),
    District.Status.PROVISIONING: gettext_lazy(
        "%(district)s is being set up on Karyalay; send the letter on paper."
    ),
    District.Status.SUSPENDED: gettext_lazy(
        "%(district)s is suspended on Karyalay and receives no letters; send it on paper."
    ),
    District.Status.ARCHIVED: gettext_lazy("%(district)s is archived on Karyalay and receives no letters."),
}


def _require_addressable(entry: OfficeDirectoryEntry) -> District:
    district = entry.district
    if district.schema_name == connection.schema_name:
        raise ValidationError(
            {"to_office": [_("This office is in your own district: mark the dak to it instead.")]}
        )
    if district.status != District.Status.LIVE:
        raise ValidationError({"to_office": [str(NOT_LIVE[district.status]) % {"district": district.name}]})
    if not entry.open:
        raise ValidationError({"to_office": [_("That office is closed and receives no letters.")]})
    return district


def _documents(dispatch: Dispatch) -> list[dict]:
    """The letter's documents as stored copies here: the signed PDF when the letter is signed, else
    the letter rendered to PDF (a letter approved as a draft)."""
    signature = getattr(dispatch, "signature", None)
    if signature is not None:
        stored_bytes(signature.stored_name, signature.sha256)  # still what was signed
        return [
            {
                "name": f"{dispatch.number.replace('/', '-')}.pdf",
                "stored_name": signature.stored_name,
                "sha256": signature.sha256,
            }
        ]
    if getattr(dispatch, "draft", None) is None:
        return []
    stored = bytes_store(letter_pdf(dispatch))
    return [{"name": f"{dispatch.number.replace('/', '-')}.pdf", **stored}]


@transaction.atomic
def letter_send(
    *,
    actor: Actor,
    post: Post,
    dispatch: Dispatch,
    to_office_id: int,
    in_reply_to: IncomingLetter | None = None,
) -> OutgoingLetter:
    """Send an entered outward letter to an office of another live district (``to_office_id``: a
    row of the public directory). The acting person must hold ``post``, a post of the issuing
    office. The letter and its outbox row are written in this transaction, so it either leaves
    once (relayed and delivered by tasks) or not at all. A letter goes through Karyalay once.

    ``in_reply_to``: a letter this district received that this one answers; the reply must go to
    the district it came from, whose letter is then marked replied (its circular's page says so)."""
    dispatch = _dispatch_for_sending(actor=actor, post=post, dispatch=dispatch)
    entry = OfficeDirectoryEntry.objects.select_related("district").filter(pk=to_office_id).first()
    if entry is None:
        raise ValidationError({"to_office": [_("Choose an office from the list.")]})
    district = _require_addressable(entry)
    if in_reply_to is not None and in_reply_to.from_district_schema != district.schema_name:
        raise ValidationError(
            {"in_reply_to": [_("A reply goes to the district the letter came from.")]}, code="reply_elsewhere"
        )
    return letter_queue(
        actor=actor,
        post=post,
        dispatch=dispatch,
        entry=entry,
        documents=_documents(dispatch),
        in_reply_to=in_reply_to,
    )


def _dispatch_for_sending(*, actor: Actor, post: Post, dispatch: Dispatch) -> Dispatch:
    """The dispatch, locked, once the acting person is found to hold a post of its office and it
    has not gone through Karyalay yet."""
    require_post_held(actor, post)
    dispatch = Dispatch.objects.select_for_update().select_related("office").get(pk=dispatch.pk)
    if post.office_id != dispatch.office_id:
        raise ValidationError(
            _("Only a post of the issuing office sends its letters."), code="not_issuing_office"
        )
    if OutgoingLetter.objects.filter(dispatch=dispatch).exists():
        raise ValidationError(_("This letter has already been sent through Karyalay."), code="already_sent")
    return dispatch


def letter_queue(
    *,
    actor: Actor,
    post: Post,
    dispatch: Dispatch,
    entry: OfficeDirectoryEntry,
    documents: list[dict],
    circular: Circular | None = None,
    in_reply_to: IncomingLetter | None = None,
    extra: dict | None = None,
) -> OutgoingLetter:
    """Write one letter to one addressed office and its outbox row, audited, in the caller's
    transaction (``letter_send``, ``circular_send``, ``file_send_up``: they have checked the
    addressee); the relay runs on commit. ``extra``: more of the payload (a file's snapshot)."""
    district = entry.district
    key = uuid.uuid4()
    letter = OutgoingLetter.objects.create(
        key=key,
        dispatch=dispatch,
        circular=circular,
        to_district_schema=district.schema_name,
        to_district_name=district.name,
        to_district_name_hi=district.name_hi,
        to_office_code=entry.office_code,
        to_office_name=entry.name,
        to_office_name_hi=entry.name_hi,
        created_by=actor.person,
        created_post=post,
    )
    sender_post = dispatch.draft.decided_post if getattr(dispatch, "draft", None) else dispatch.created_post
    here = District.objects.get(schema_name=connection.schema_name)
    payload = {
        "to_office_code": entry.office_code,
        "from_district_name": here.name,
        "from_district_name_hi": here.name_hi,
        "sender_office": dispatch.office.name,
        "sender_post": sender_post.title,
        "number": dispatch.number,
        "letter_date": dispatch.dispatched_on.isoformat(),
        "subject": dispatch.subject,
        "documents": documents,
    }
    if in_reply_to is not None:
        payload["in_reply_to"] = str(in_reply_to.key)
    payload.update(extra or {})
    ExchangeOutbox.objects.create(
        key=key, kind=ExchangeOutbox.Kind.LETTER, to_district_schema=district.schema_name, payload=payload
    )
    details = {
        "dispatch": dispatch.number,
        "to_district": district.schema_name,
        "to_office": entry.office_code,
    }
    if circular is not None:
        details["circular"] = circular.pk
    if in_reply_to is not None:
        details["in_reply_to"] = in_reply_to.number
    audit_append(
        actor=as_post(actor, post),
        action="letter.send",
        target=letter,
        summary=f"{dispatch.number} → {entry.name}, {district.name}",
        details=details,
    )

    letters_relay_on_commit(connection.schema_name)
    return letter
