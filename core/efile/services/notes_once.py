"""A note sent with the key its browser gave it (core.offline: a note typed while the link was down
and sent after the officer confirmed it). Sent again with the same key, by a second confirmation
or after an answer lost on a weak link, it finds the note already written instead of writing
another. Keys are the author's own: another person's key never finds, changes or hides their
note."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.base.audit import Actor
from core.efile.services.notes import note_add
from core.efile.services.tracking import item_lock
from core.models import EFile, Note

# What offline.js sends: crypto.randomUUID() (36 characters); anything else is refused.
CLIENT_KEY = re.compile(r"[A-Za-z0-9-]{16,64}")


def client_key_clean(value: str) -> str:
    """The key as given, or a refusal naming the problem (never stored half-checked)."""
    if not isinstance(value, str) or not CLIENT_KEY.fullmatch(value):
        raise ValidationError(
            _("This note's sending key is not valid. Type the note again and add it."), code="client_key"
        )
    return value


@transaction.atomic
def note_add_once(*, actor: Actor, file: EFile, body: str, client_key: str) -> tuple[Note, bool]:
    """Append a note as ``note_add`` does, once per (file, author, key): returns the note and
    whether it was written now. The file's row lock (taken before the look-up) orders two sends of
    one key, and the database's unique constraint on the key backs it. Everything ``note_add``
    refuses (not the holder, a closed or parked file, an empty or long note) is refused here too;
    a key that finds a note is answered before those checks, as the note exists already."""
    key = client_key_clean(client_key)
    file = item_lock(file)
    if actor.person is not None:
        sent = Note.objects.filter(file=file, author=actor.person, client_key=key).first()
        if sent is not None:
            return sent, False
    note = note_add(actor=actor, file=file, body=body)
    note.client_key = key
    note.save(update_fields=["client_key"])
    return note, True
