"""Telling people that a file or dak reached their post: in-app rows now, e-mail after commit.

A notification goes to every person holding the post today (additional charges included), stored
as a kind and an item, so it reads in the language of whoever opens it. The part every area shares
(who holds a post, the e-mail after commit, the registry of what notices say) is
``core.base.notifications``; what a file's or dak's notice says and links to is here, registered
by ``core.efile.apps_register``. Overdue items are told once per movement by the morning task
(``overdue_notify``).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.base.audit import audit_append
from core.base.notifications import email_on_commit, post_holder_ids
from core.models import EFile, Movement, Notification, Post, Receipt
from core.models.efile import LEAVING
from core.templatetags.karyalay import bilingual


def notify_arrived(
    *, item: EFile | Receipt, post: Post, exclude_person_id: int | None = None
) -> list[Notification]:
    """A file or a receipt arrived at ``post``: one notification per holder (not the sender), and
    an e-mail to each holder with an address once the caller's transaction commits."""
    is_file = isinstance(item, EFile)
    kind = Notification.Kind.FILE_ARRIVED if is_file else Notification.Kind.DAK_ARRIVED
    return _notify(item=item, post=post, kind=kind, exclude_person_id=exclude_person_id)


def _notify(*, item: EFile | Receipt, post: Post | int, kind: str, exclude_person_id: int | None = None):
    is_file = isinstance(item, EFile)
    post_id = post.pk if isinstance(post, Post) else post
    rows = [
        Notification(
            person_id=person_id,
            kind=kind,
            post_id=post_id,
            file=item if is_file else None,
            receipt=None if is_file else item,
        )
        for person_id in post_holder_ids(post_id)
        if person_id != exclude_person_id
    ]
    rows = Notification.objects.bulk_create(rows)
    email_on_commit(rows)
    return rows


def item_notification_path(notification: Notification) -> str:
    """The page of the notification's file or dak."""
    if notification.file_id:
        return reverse("efile_file", args=[notification.file_id])
    return reverse("efile_receipt", args=[notification.receipt_id])


def item_notification_text(notification: Notification) -> tuple[str, str]:
    """(subject, line) of a file's or dak's notification in the active language. A confidential or
    secret file's subject never leaves the system in an e-mail: it is named by number only."""
    item = notification.file or notification.receipt
    number = item.number if notification.file_id else item.diary_number
    restricted = notification.file_id and notification.file.is_restricted
    post = bilingual(notification.post, "title") if notification.post else ""
    messages = {
        Notification.Kind.FILE_ARRIVED: _("File %(number)s arrived at %(post)s"),
        Notification.Kind.DAK_ARRIVED: _("Dak %(number)s arrived at %(post)s"),
        Notification.Kind.FILE_OVERDUE: _("File %(number)s at %(post)s is past its due date"),
        Notification.Kind.DAK_OVERDUE: _("Dak %(number)s at %(post)s is past its due date"),
        Notification.Kind.DRAFT_RETURNED: _("A draft on file %(number)s was returned"),
        Notification.Kind.DRAFT_APPROVED: _("A draft on file %(number)s was approved"),
    }
    subject = messages.get(notification.kind, _("News of %(number)s")) % {"number": number, "post": post}
    line = _("Subject: confidential") if restricted else _("Subject: %(subject)s") % {"subject": item.subject}
    return subject, line


# --- overdue -----------------------------------------------------------------------------------


def _latest_arrival(item_field: str) -> Exists:
    """A later step of the same item that brought it somewhere (sent, returned, reopened): the
    movement's stay has ended. Parking, taking up and closing do not end a stay."""
    later = Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), id__gt=OuterRef("id"))
    return Exists(
        Movement.objects.filter(
            later,
            **{item_field: OuterRef(item_field)},
            action__in=LEAVING | {Movement.Action.REOPENED},
        )
    )


def _overdue_movements(today: datetime.date):
    """Sendings (sent, returned) with a due date now past, whose item still lies where that
    sending brought it, open, with no later arrival anywhere (the stay it began goes on however
    often it was parked, taken up or taken in meanwhile), not yet told."""
    waiting = Q(overdue_notified_at__isnull=True, due_on__lt=today, action__in=LEAVING)
    files = Movement.objects.filter(
        waiting,
        file__status=EFile.Status.OPEN,
        file__current_post_id=F("to_post_id"),
    ).exclude(_latest_arrival("file_id"))
    dak = Movement.objects.filter(
        waiting,
        receipt__status=Receipt.Status.OPEN,
        receipt__current_post_id=F("to_post_id"),
    ).exclude(_latest_arrival("receipt_id"))
    return files.union(dak).values_list("id", flat=True)


def overdue_notify(*, today: datetime.date | None = None) -> int:
    """Tell the holders of the post where each file or dak waits past its due date, once per
    movement (``Movement.overdue_notified_at``). Runs under the district (the morning task);
    returns how many movements were notified. Each movement is marked and notified in one
    transaction, so a second run (or two at once) never tells anyone twice."""
    today = today or timezone.localdate()
    done = 0
    for movement_id in list(_overdue_movements(today)):
        with transaction.atomic():
            movement = (
                Movement.objects.select_for_update(of=("self",))
                .select_related("file", "receipt")
                .filter(pk=movement_id, overdue_notified_at__isnull=True)
                .first()
            )
            if movement is None:
                continue
            Movement.objects.filter(pk=movement.pk).update(overdue_notified_at=timezone.now())
            item = movement.file or movement.receipt
            kind = Notification.Kind.FILE_OVERDUE if movement.file_id else Notification.Kind.DAK_OVERDUE
            _notify(item=item, post=movement.to_post_id, kind=kind)
            number = item.number if movement.file_id else item.diary_number
            audit_append(
                actor=None,
                action="efile.overdue_notify",
                target=item,
                summary=number,
                details={"movement": movement.pk, "due_on": movement.due_on.isoformat()},
            )
            done += 1
    return done
