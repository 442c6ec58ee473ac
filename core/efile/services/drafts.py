"""Drafts for approval: a letter drafted on a file, approved (it then goes out as outward dak) or
returned with a note by a senior: a holder of the file's post when that post is a supervising one
(SP, Addl. SP, DSP, SDPO, SHO, inspector), other than the post and the person that drafted it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.base.actors import as_post, require_item_held
from core.base.audit import Actor, audit_append
from core.base.text import clean_text
from core.efile.services.common import item_take_in
from core.efile.services.dispatch import dispatch_record
from core.efile.services.notes import note_append, require_file_workable
from core.efile.services.tracking import file_touch, item_lock
from core.models import Draft, EFile, Notification, Post, Receipt
from core.org.selectors.officers import SUPERVISOR_KINDS

BODY_MAX = 50000
# A draft may be changed while it waits for a decision, or after it came back to be reworked.
EDITABLE = frozenset({Draft.Status.PENDING, Draft.Status.RETURNED})


def _fields(*, addressee: str, subject: str, body: str, addressee_address: str) -> dict:
    return {
        "addressee": clean_text(addressee, field="addressee", max_length=200),
        "addressee_address": clean_text(addressee_address, field="addressee_address", required=False),
        "subject": clean_text(subject, field="subject", max_length=500),
        "body": clean_text(body, field="body", max_length=BODY_MAX),
    }


def _locked(draft: Draft) -> tuple[EFile, Draft]:
    # The file first (as every mover does), then the draft: one decision at a time.
    file = item_lock(draft.file)
    return file, Draft.objects.select_for_update().get(pk=draft.pk)


def _notify_author(*, draft: Draft, file: EFile, kind: str, decider_id: int) -> None:
    if draft.author_id != decider_id:
        Notification.objects.create(
            person_id=draft.author_id, kind=kind, post_id=draft.author_post_id, file=file
        )


def may_decide_at(post: Post) -> bool:
    """Whether a draft may be approved or returned at ``post``: a supervising post only (a clerk or
    an SI holding the file sends it up instead)."""
    return post.kind in SUPERVISOR_KINDS


def _require_decider(actor: Actor, file: EFile, draft: Draft) -> Post:
    """The deciding post: the file's post, held by the actor, a supervising post, and not the post
    nor the person that drafted."""
    post = require_item_held(actor, file)
    if post.pk == draft.author_post_id or draft.author_id == actor.person.pk:
        raise ValidationError(
            _("A draft is approved or returned by a senior, not at the post that drafted it."),
            code="own_draft",
        )
    if not may_decide_at(post):
        raise ValidationError(
            _(
                "Only a supervising officer (SP, Addl. SP, DSP, SDPO, SHO or inspector) approves or "
                "returns a draft; send the file up for a decision."
            ),
            code="not_supervisor",
        )
    if draft.status != Draft.Status.PENDING:
        raise ValidationError(
            _("This draft is not awaiting approval (%(status)s).") % {"status": draft.get_status_display()},
            code="not_pending",
        )
    return post


@transaction.atomic
def draft_create(
    *, actor: Actor, file: EFile, addressee: str, subject: str, body: str, addressee_address: str = ""
) -> Draft:
    """Draft a letter on an open file at the acting person's post; it awaits approval."""
    file = item_lock(file)
    post = require_item_held(actor, file)
    require_file_workable(file)
    item_take_in(actor=actor, item=file, post=post, on="draft.create")
    draft = Draft.objects.create(
        file=file,
        author=actor.person,
        author_post=post,
        **_fields(addressee=addressee, subject=subject, body=body, addressee_address=addressee_address),
    )
    file_touch(file)
    audit_append(
        actor=as_post(actor, post),
        action="draft.create",
        target=draft,
        summary=f"{file.number}: {draft.subject}",
        details={"file_id": file.pk, "addressee": draft.addressee},
    )
    return draft


@transaction.atomic
def draft_edit(
    *, actor: Actor, draft: Draft, addressee: str, subject: str, body: str, addressee_address: str = ""
) -> Draft:
    """Change a draft that awaits a decision or came back: a holder of the file's post (the
    drafter reworking it, or the senior correcting it before approving). A returned draft, once
    changed, awaits approval again."""
    file, draft = _locked(draft)
    post = require_item_held(actor, file)
    require_file_workable(file)
    if draft.status not in EDITABLE:
        raise ValidationError(_("This draft has been approved and can no longer be changed."), code="decided")
    values = _fields(addressee=addressee, subject=subject, body=body, addressee_address=addressee_address)
    before = {name: getattr(draft, name) for name in values}
    changed = [name for name, value in values.items() if before[name] != value]
    if not changed:
        return draft
    item_take_in(actor=actor, item=file, post=post, on="draft.edit")
    for name, value in values.items():
        setattr(draft, name, value)
    draft.status = Draft.Status.PENDING
    draft.updated_at = timezone.now()
    draft.save(update_fields=[*values, "status", "updated_at"])
    file_touch(file)
    audit_append(
        actor=as_post(actor, post),
        action="draft.edit",
        target=draft,
        summary=f"{file.number}: {draft.subject}",
        details={"file_id": file.pk, "changed": changed, "before": {name: before[name] for name in changed}},
    )
    return draft


@transaction.atomic
def draft_approve(*, actor: Actor, draft: Draft, mode: str = Receipt.Mode.POST, remarks: str = "") -> Draft:
    """Approve a draft awaiting approval: a holder of the file's post when it is a supervising post
    (``may_decide_at``), other than the post (and the person) that drafted it. The letter is
    entered in the outward register of the approver's office (``dispatch_record``), the draft is
    marked sent out, a note on the file records it, and the drafter is told."""
    file, draft = _locked(draft)
    post = _require_decider(actor, file, draft)
    require_file_workable(file)
    if mode not in Receipt.Mode.values:
        raise ValidationError({"mode": [_("Choose how the letter goes out.")]})
    remarks = clean_text(remarks, field="remarks", required=False, max_length=2000)
    item_take_in(actor=actor, item=file, post=post, on="draft.approve")
    dispatch = dispatch_record(
        actor=actor,
        post=post,
        addressee=draft.addressee,
        addressee_address=draft.addressee_address,
        subject=draft.subject,
        mode=mode,
        file=file,
    )
    draft.status = Draft.Status.DISPATCHED
    draft.dispatch = dispatch
    draft.decided_by, draft.decided_post, draft.decided_at = actor.person, post, timezone.now()
    draft.decision_note = remarks
    draft.save(
        update_fields=["status", "dispatch", "decided_by", "decided_post", "decided_at", "decision_note"]
    )
    text = _("Draft “%(subject)s” approved and sent out as %(number)s.") % {
        "subject": draft.subject,
        "number": dispatch.number,
    }
    note = note_append(
        actor=actor, file=file, post=post, body=f"{text}\n{remarks}" if remarks else text, frozen=True
    )
    audit_append(
        actor=as_post(actor, post),
        action="draft.approve",
        target=draft,
        summary=f"{file.number}: {draft.subject} → {dispatch.number}",
        details={"file_id": file.pk, "dispatch": dispatch.number, "note_seq": note.seq},
    )
    _notify_author(draft=draft, file=file, kind=Notification.Kind.DRAFT_APPROVED, decider_id=actor.person.pk)
    return draft


@transaction.atomic
def draft_return(*, actor: Actor, draft: Draft, note: str) -> Draft:
    """Return a draft awaiting approval with a note saying what to change (required): the same
    people who may approve it (a supervising post holding the file, not the drafter), so that only a
    senior decides on a draft either way. The note goes on the file's noting side; the drafter is told."""
    file, draft = _locked(draft)
    post = _require_decider(actor, file, draft)
    require_file_workable(file)
    note = clean_text(note, field="note", max_length=5000)
    item_take_in(actor=actor, item=file, post=post, on="draft.return")
    draft.status = Draft.Status.RETURNED
    draft.decided_by, draft.decided_post, draft.decided_at = actor.person, post, timezone.now()
    draft.decision_note = note
    draft.save(update_fields=["status", "decided_by", "decided_post", "decided_at", "decision_note"])
    text = _("Draft “%(subject)s” returned:") % {"subject": draft.subject}
    recorded = note_append(actor=actor, file=file, post=post, body=f"{text}\n{note}", frozen=True)
    audit_append(
        actor=as_post(actor, post),
        action="draft.return",
        target=draft,
        summary=f"{file.number}: {draft.subject}",
        details={"file_id": file.pk, "note_seq": recorded.seq},
    )
    _notify_author(draft=draft, file=file, kind=Notification.Kind.DRAFT_RETURNED, decider_id=actor.person.pk)
    return draft
