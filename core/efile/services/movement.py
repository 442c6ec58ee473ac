"""Moving files between posts: send, receive (and, in this module, every other step of a file's
way: return, park, close, reopen)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.base.access import viewer_for
from core.base.actors import as_post, require_item_held, require_open_post
from core.base.audit import Actor, audit_append
from core.base.text import clean_text
from core.efile.notifications import notify_arrived
from core.efile.services.common import REMARKS_MAX, item_send, item_take_in
from core.efile.services.tracking import item_arrive, item_lock, item_receive
from core.models import EFile, Movement, Office, Post
from core.templatetags.karyalay import bilingual


def _require_open(file: EFile) -> None:
    if file.status == EFile.Status.CLOSED:
        raise ValidationError(_("File %(number)s is closed.") % {"number": file.number}, code="closed")
    if file.status == EFile.Status.PARKED:
        raise ValidationError(
            _("File %(number)s is parked; take it up again first.") % {"number": file.number}, code="parked"
        )


@transaction.atomic
def file_send(
    *,
    actor: Actor,
    file: EFile,
    to_post: Post,
    remarks: str = "",
    due_on: datetime.date | None = None,
    occurred_at: datetime.datetime | None = None,
) -> EFile:
    """Send a file that is at the acting person's post to another post (not a person), with
    remarks and an optional due date. The notes written so far freeze; the file waits at the post,
    new, for whoever holds it, and its holders are told. ``occurred_at``: a send made on paper
    during an outage, back-entered now with its true time (only through ``core.outage``)."""
    file = item_lock(file)
    from_post = require_item_held(actor, file)
    _require_open(file)
    item_send(
        actor=actor,
        item=file,
        from_post=from_post,
        to_post=to_post,
        remarks=remarks,
        due_on=due_on,
        already_here=_("The file is already at this post."),
        audit_action="file.send",
        occurred_at=occurred_at,
    )
    return file


@transaction.atomic
def file_receive(*, actor: Actor, file: EFile) -> EFile:
    """A holder of the post the file waits at takes it in (it stops showing as new)."""
    file = item_lock(file)
    post = require_item_held(actor, file)
    if item_receive(item=file, by=actor.person):
        audit_append(actor=as_post(actor, post), action="file.receive", target=file, summary=file.number)
    return file


def _return_stack(file: EFile) -> list[int]:
    """The posts the file would go back through, last on top, replayed from its movements.

    A send pushes the post it left; a return pops back to the post it went to (a return made
    before returns unwound the chain, to a post not on the stack, counts as a send); a reopening
    that brought the file to another post (its own post had closed) starts afresh, as creation
    does. Parking, taking up, closing and a reopening where it lay leave the stack as it was."""
    stack: list[int] = []
    at: int | None = None
    moves = Movement.objects.filter(file=file).order_by("at", "id")
    for action, from_id, to_id in moves.values_list("action", "from_post_id", "to_post_id"):
        if action == Movement.Action.CREATED or (action == Movement.Action.REOPENED and to_id != at):
            stack = []
        elif action == Movement.Action.SENT:
            stack.append(from_id)
        elif action == Movement.Action.RETURNED:
            if to_id in stack:  # unwind to the last time it left that post
                del stack[len(stack) - 1 - stack[::-1].index(to_id) :]
            else:
                stack.append(from_id)
        at = to_id
    return stack


def file_came_from(file: EFile) -> Post | None:
    """The post a return sends the file to: the one that sent it up the chain to where it is now
    (the chain unwinds, so after A → B → C and C returning to B, B returns to A). None: nowhere
    (opened here, or everything it was sent has been returned)."""
    stack = _return_stack(file)
    if not stack:
        return None
    return Post.objects.select_related("office").get(pk=stack[-1])


@transaction.atomic
def file_return(*, actor: Actor, file: EFile, remarks: str = "") -> EFile:
    """Send a file at the acting person's post back down its chain: to the post that sent it up
    to this one (``file_came_from``), with remarks. Its notes freeze and it waits there, new, for
    that post's holders, who are told. Refused when nothing sent it here (opened here, or already
    returned all the way), for a parked or closed file, and to a closed post or office."""
    file = item_lock(file)
    post = require_item_held(actor, file)
    _require_open(file)
    back_to = file_came_from(file)
    if back_to is None:
        raise ValidationError(
            _("File %(number)s was not sent to this post by another; there is nowhere to return it.")
            % {"number": file.number},
            code="nowhere",
        )
    require_open_post(back_to)
    remarks = clean_text(remarks, field="remarks", required=False, max_length=REMARKS_MAX)
    item_take_in(actor=actor, item=file, post=post, on="file.return")
    item_arrive(
        item=file,
        to_post=back_to,
        by=actor.person,
        action=Movement.Action.RETURNED,
        from_post=post,
        remarks=remarks,
    )
    audit_append(
        actor=as_post(actor, post),
        action="file.return",
        target=file,
        summary=f"{file.number} → {back_to.title}",
        details={"to_post": back_to.pk, "remarks": remarks},
    )
    return file


def _step_in_place(
    *,
    actor: Actor,
    file: EFile,
    post: Post,
    action: str,
    status: str,
    remarks: str,
    at: datetime.datetime | None = None,
    also: dict | None = None,
) -> Movement:
    """A step that leaves the file where it is (park, take up, close): a movement from the post to
    itself, its status changed (and the ``also`` fields, at time ``at``: see ``item_arrive``), all
    in one UPDATE of its row. Its stay there goes on: the due date, the arrival time (which the
    inbox sorts by) and when it was taken in stay as they were; a file not yet taken in is taken in
    by acting on it (``item_take_in``, audited, before the step)."""
    on = {Movement.Action.PARKED: "file.park", Movement.Action.UNPARKED: "file.unpark"}
    item_take_in(actor=actor, item=file, post=post, on=on.get(action, "file.close"))
    return item_arrive(
        item=file,
        to_post=post,
        by=actor.person,
        action=action,
        from_post=post,
        remarks=remarks,
        received=True,
        notify=False,
        at=at,
        also={"status": status, **(also or {})},
    )


@transaction.atomic
def file_park(*, actor: Actor, file: EFile, remarks: str = "") -> EFile:
    """Park an open file at the acting person's post: it leaves the inbox for the parked list
    until taken up again (``file_unpark``). Only a holder of the file's post."""
    file = item_lock(file)
    post = require_item_held(actor, file)
    _require_open(file)
    remarks = clean_text(remarks, field="remarks", required=False, max_length=REMARKS_MAX)
    _step_in_place(
        actor=actor,
        file=file,
        post=post,
        action=Movement.Action.PARKED,
        status=EFile.Status.PARKED,
        remarks=remarks,
    )
    audit_append(
        actor=as_post(actor, post),
        action="file.park",
        target=file,
        summary=file.number,
        details={"remarks": remarks},
    )
    return file


@transaction.atomic
def file_unpark(*, actor: Actor, file: EFile) -> EFile:
    """Take a parked file up again: back in the inbox of its post. Only a holder of the file's post."""
    file = item_lock(file)
    post = require_item_held(actor, file)
    if file.status != EFile.Status.PARKED:
        raise ValidationError(
            _("File %(number)s is not parked.") % {"number": file.number}, code="not_parked"
        )
    _step_in_place(
        actor=actor,
        file=file,
        post=post,
        action=Movement.Action.UNPARKED,
        status=EFile.Status.OPEN,
        remarks="",
    )
    audit_append(actor=as_post(actor, post), action="file.unpark", target=file, summary=file.number)
    return file


@transaction.atomic
def file_close(*, actor: Actor, file: EFile, remark: str) -> EFile:
    """Close a file (open or parked) at the acting person's post with a closing remark (required).
    It stays at that post, closed; only that post's holders or a supervisor over its office may
    reopen it."""
    file = item_lock(file)
    post = require_item_held(actor, file)
    if file.status == EFile.Status.CLOSED:
        raise ValidationError(_("File %(number)s is closed.") % {"number": file.number}, code="closed")
    remark = clean_text(remark, field="remark", max_length=REMARKS_MAX)
    now = timezone.now()
    _step_in_place(
        actor=actor,
        file=file,
        post=post,
        action=Movement.Action.CLOSED,
        status=EFile.Status.CLOSED,
        remarks=remark,
        at=now,
        also={"closed_at": now, "close_remark": remark},
    )
    audit_append(
        actor=as_post(actor, post),
        action="file.close",
        target=file,
        summary=file.number,
        details={"remark": remark},
    )
    return file


def supervising_post(actor: Actor, office: Office) -> Post | None:
    """The post the acting person holds today that supervises ``office``: the narrowest head post
    whose scope covers it (an SHO's thana before an SDPO's sub-division), else their SP or Addl. SP
    post; None when they supervise nothing there (see ``core.base.access``)."""
    if actor.person is None:
        return None
    viewer = viewer_for(actor.person)
    post_id = next((post for post, scope in viewer.supervising if office.pk in scope), None)
    post_id = post_id or viewer.district_post_id
    return Post.objects.select_related("office").get(pk=post_id) if post_id else None


def _post_gone(post: Post) -> bool:
    """The post is closed, or its office is: nobody will hold it again."""
    return (
        post.closed_on is not None
        or Office.objects.filter(pk=post.office_id, status=Office.Status.CLOSED).exists()
    )


@transaction.atomic
def file_reopen(*, actor: Actor, file: EFile, reason: str) -> EFile:
    """Reopen a closed file with a reason (required). Allowed to a holder of the post where it was
    closed, or a supervisor over that post's office. A reopened file starts a new stay: no due
    date, arrived now.

    Where it reopens: at the post where it was closed — taken in when its holder reopens it,
    waiting there as new (its holders told) when a supervisor does. If that post has since closed
    (or its office has), nobody could ever hold the file there: only a supervisor over that office
    may reopen it, and it reopens at the supervisor's own post, taken in by them (a return from
    there has nowhere to go); anyone else is refused with a message naming the closed post."""
    file = item_lock(file)
    closed_post = Post.objects.select_related("office").get(pk=file.current_post_id)
    gone = _post_gone(closed_post)
    holder = not gone and actor.person is not None and viewer_for(actor.person).holds(closed_post.pk)
    acting = closed_post if holder else supervising_post(actor, closed_post.office)
    if acting is None and gone:
        raise ValidationError(
            _(
                "File %(number)s was closed at %(post)s, which is closed now; only a supervisor "
                "over %(office)s may reopen it, at their own post."
            )
            % {
                "number": file.number,
                "post": bilingual(closed_post, "title"),
                "office": bilingual(closed_post.office),
            },
            code="post_closed",
        )
    if acting is None:
        raise ValidationError(
            _(
                "Only a holder of the post where file %(number)s was closed, "
                "or a supervisor over it, may reopen it."
            )
            % {"number": file.number},
            code="not_allowed",
        )
    if file.status != EFile.Status.CLOSED:
        raise ValidationError(
            _("File %(number)s is not closed.") % {"number": file.number}, code="not_closed"
        )
    reason = clean_text(reason, field="reason", max_length=REMARKS_MAX)
    closed_remark = file.close_remark
    reopen_at = acting if gone else closed_post
    if gone:
        require_open_post(reopen_at)
    item_arrive(
        item=file,
        to_post=reopen_at,
        by=actor.person,
        action=Movement.Action.REOPENED,
        from_post=closed_post if gone else acting,
        remarks=reason,
        received=holder or gone,
        notify=False,
        also={"status": EFile.Status.OPEN, "closed_at": None, "close_remark": ""},
    )
    if not holder and not gone:
        notify_arrived(item=file, post=closed_post, exclude_person_id=actor.person.pk)
    audit_append(
        actor=as_post(actor, acting),
        action="file.reopen",
        target=file,
        summary=f"{file.number} → {reopen_at.title}" if gone else file.number,
        details={"reason": reason, "closed_remark": closed_remark, "at_post": reopen_at.pk},
    )
    return file
