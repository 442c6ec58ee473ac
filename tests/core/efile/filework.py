"""What the file tests share: a file opened through the service, a letter to draft, and a draft
taken to approval."""

from core.base.audit import Actor
from core.efile.services.drafts import draft_approve, draft_create
from core.efile.services.files import file_create
from core.efile.services.movement import file_receive, file_send
from core.efile.services.receipts import receipt_diarise
from core.models import Dispatch, EFile, FileHead, Post, Receipt

LETTER = {
    "addressee": "IG Tirhut",
    "addressee_address": "",
    "subject": "Go-live report",
    "body": "Sir, done.",
}


def gen_file(
    actor: Actor,
    post: Post,
    subject: str = "Computers for the SDPO offices",
    category: str = EFile.Category.ADMINISTRATION,
    **extra,
) -> EFile:
    """A file opened by ``actor`` at ``post`` under the district's GEN head (inside a district
    context)."""
    return file_create(
        actor=actor,
        post=post,
        head=FileHead.objects.get(code="GEN", office=None),
        subject=subject,
        category=category,
        **extra,
    )


def open_file(ef, key="clerk", **extra) -> EFile:
    """A file opened at ``key``'s post under the district's GEN head (inside a district context)."""
    return gen_file(ef.actor(key), ef.posts[key], **extra)


def draft_approved(
    file: EFile, *, drafter: Actor, approver: Actor, to_post: Post, remarks: str = "For approval", **letter
) -> Dispatch:
    """``drafter``'s draft of ``letter`` in ``file``, the file sent to ``to_post`` with ``remarks``
    and taken in there by ``approver``, who approves the draft: its outward dispatch (inside a
    district context)."""
    draft = draft_create(actor=drafter, file=file, **letter)
    file_send(actor=drafter, file=file, to_post=to_post, remarks=remarks)
    file_receive(actor=approver, file=file)
    return draft_approve(actor=approver, draft=draft).dispatch


def dak_of(ef, key="clerk", *, mode="post", sender="IG Tirhut", subject="Go-live", **extra) -> Receipt:
    """A letter diarised at ``key``'s post (inside a district context)."""
    return receipt_diarise(
        actor=ef.actor(key), post=ef.posts[key], mode=mode, sender=sender, subject=subject, **extra
    )
