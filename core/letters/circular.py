"""Circulars: one outward letter of a range office or headquarters sent to many offices at once.

Each addressed office gets its own letter (its own key, outbox row and message), delivered,
diarised and replied to on its own through the exchange (``relay``); the circular's page reads the
statuses that came back. Nothing of an addressed district is read here.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from core.base.actors import as_post
from core.base.audit import Actor, audit_append
from core.letters.send import _dispatch_for_sending, _documents, _require_addressable, letter_queue
from core.models import Circular, Dispatch, Post
from tenants.models import District, OfficeDirectoryEntry

CIRCULAR_MAX_OFFICES = 200


@transaction.atomic
def circular_send(*, actor: Actor, post: Post, dispatch: Dispatch, to_office_ids: list[int]) -> Circular:
    """Send an entered outward letter of a range office or headquarters to each of the offices
    ``to_office_ids`` (rows of the public directory, two or more, of live districts): one letter
    per office, all written in this transaction or none. The acting person must hold ``post``, a
    post of the issuing office. An office that cannot receive (a planned, suspended or archived
    district, a closed office, an office of this tenant) refuses the whole circular, each named."""
    here = District.objects.get(schema_name=connection.schema_name)
    if here.kind == District.Kind.DISTRICT:
        raise ValidationError(
            _("Circulars are sent by a range office or headquarters; a district sends letters."),
            code="not_supervising",
        )
    dispatch = _dispatch_for_sending(actor=actor, post=post, dispatch=dispatch)
    ids = list(dict.fromkeys(to_office_ids))
    if len(ids) < 2:
        raise ValidationError(
            {"to_offices": [_("Choose two offices or more; to one office, send a letter.")]}
        )
    if len(ids) > CIRCULAR_MAX_OFFICES:
        raise ValidationError(
            {"to_offices": [_("A circular goes to %(max)d offices at most.") % {"max": CIRCULAR_MAX_OFFICES}]}
        )
    entries = list(OfficeDirectoryEntry.objects.select_related("district").filter(pk__in=ids))
    if len(entries) != len(ids):
        raise ValidationError({"to_offices": [_("Choose offices from the list.")]})
    refused = []
    for entry in entries:
        try:
            _require_addressable(entry)
        except ValidationError as error:
            refused += [
                f"{entry.name}: {message}" for messages in error.message_dict.values() for message in messages
            ]
    if refused:
        raise ValidationError({"to_offices": refused})
    circular = Circular.objects.create(dispatch=dispatch, created_by=actor.person, created_post=post)
    documents = _documents(dispatch)
    entries.sort(key=lambda e: (e.district.name, e.name))
    for entry in entries:
        letter_queue(
            actor=actor, post=post, dispatch=dispatch, entry=entry, documents=documents, circular=circular
        )
    audit_append(
        actor=as_post(actor, post),
        action="letter.circular",
        target=circular,
        summary=f"{dispatch.number} → {len(entries)} offices",
        details={
            "dispatch": dispatch.number,
            "offices": [f"{e.district.slug}:{e.office_code}" for e in entries],
        },
    )
    return circular
