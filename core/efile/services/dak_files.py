"""A new file opened from a letter: the officer who holds the dak opens a file for it at the
dak's post and the letter goes in, in one step."""

from __future__ import annotations

from django.db import transaction

from core.base.actors import as_post, require_item_held
from core.base.audit import Actor
from core.efile.services.files import file_create
from core.efile.services.receipts import _require_receipt_open, receipt_attach
from core.efile.services.tracking import item_lock
from core.models import EFile, FileHead, Post, Receipt


@transaction.atomic
def receipt_file_open(
    *,
    actor: Actor,
    receipt: Receipt,
    head: FileHead,
    subject: str,
    category: str,
    priority: str = EFile.Priority.NORMAL,
    confidentiality: str = EFile.Confidentiality.NORMAL,
) -> EFile:
    """Open a new file at the post the open dak lies at (a post the acting person holds), numbered
    as ``file_create`` numbers, and put the dak in it (``receipt_attach``, which takes it in): both
    or neither, each audited as itself. Refused as those two refuse (not the actor's dak, dak
    closed or filed, a head of another office …)."""
    receipt = item_lock(receipt)
    held = require_item_held(actor, receipt)
    _require_receipt_open(receipt)
    post = Post.objects.select_related("office").get(pk=held.pk)
    acting = as_post(actor, post)
    file = file_create(
        actor=acting,
        post=post,
        head=head,
        subject=subject,
        category=category,
        priority=priority,
        confidentiality=confidentiality,
    )
    receipt_attach(actor=acting, receipt=receipt, file=file)
    return file
