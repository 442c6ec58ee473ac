"""Telling people that something reached their post: in-app rows now, email after commit.

A notification goes to every person holding the post today (additional charges included), stored
as a kind and an item, so it reads in the language of whoever opens it. E-mails go after commit
through ``core.efile.tasks.notification_email_task``, in Hindi and English (a person has no stored
language). Overdue items are told once per movement by the morning task (``overdue_notify``).
"""

from __future__ import annotations

import datetime

from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import audit_append
from core.efile.services.tracking import LEAVING
from core.models import EFile, Movement, Notification, Post, Receipt
from core.org.selectors.postings import post_holding_list
from core.templatetags.karyalay import bilingual
from tenants.models import User
from tenants.urls import absolute_url


def post_holder_ids(post: Post | int) -> list[int]:
    """The people holding the post today (each once)."""
    post_id = post.pk if isinstance(post, Post) else post
    return list(dict.fromkeys(posting.person_id for posting in post_holding_list(post_ids=[post_id])))


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


def email_on_commit(rows: list[Notification]) -> None:
    """Enqueue the e-mails of these notifications (to people with an address) after commit."""
    ids = [row.pk for row in rows]
    if not ids or not User.objects.filter(pk__in={row.person_id for row in rows}).exclude(email="").exists():
        return
    schema = connection.schema_name

    def enqueue():
        from core.efile.tasks import notification_email_task

        notification_email_task(schema, notification_ids=ids)

    transaction.on_commit(enqueue)


# --- e-mail ------------------------------------------------------------------------------------


def _item_url(notification: Notification, district) -> str:
    if notification.rti_id:
        from core.rti.reply_views import application_url

        return absolute_url(district, application_url(notification.rti_id))
    if notification.file_id:
        path = reverse("efile_file", args=[notification.file_id])
    else:
        path = reverse("efile_receipt", args=[notification.receipt_id])
    return absolute_url(district, path)


def notification_text(notification: Notification) -> tuple[str, str]:
    """(subject, line) of a notification in the active language. A confidential or secret file's
    subject never leaves the system in an e-mail: it is named by number only."""
    if notification.rti_id:
        from core.rti.reminders import rti_notification_text

        return rti_notification_text(notification)
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


def notification_email(notification: Notification, district) -> tuple[str, str]:
    """The e-mail of one notification, in Hindi and in English (people have no stored language)."""
    url = _item_url(notification, district)
    parts, subjects = [], []
    for language in ("hi", "en"):
        with translation.override(language):
            subject, line = notification_text(notification)
            subjects.append(subject)
            parts.append(f"{subject}\n{line}\n{_('Open it:')} {url}")
    return " / ".join(subjects)[:250], "\n\n".join(parts) + "\n"


def _claim_unsent(notification_ids: list[int]) -> list[Notification]:
    """Mark these notifications e-mailed (those not yet, to people with an address) and return
    them, in one committed transaction: rows another worker is sending right now are skipped."""
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=notification_ids, emailed_at__isnull=True)
            .exclude(person__email="")
            .select_related("person", "post", "file", "receipt", "rti")
            .order_by("id")
        )
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(emailed_at=timezone.now())
    return rows


def notifications_email(notification_ids: list[int]) -> int:
    """Send the e-mails of these notifications not yet e-mailed, to people with an address. Runs
    under the district (the task). Returns how many went.

    Each is marked sent (committed) before its mail goes, so a retry or a second worker never
    sends one twice; if sending fails, the mark is taken off the ones not sent and the error
    raised, so the task's retry sends those. (A worker killed between the mark and the send loses
    that mail rather than sending it twice.)"""
    from tenants.models import District

    district = District.objects.filter(schema_name=connection.schema_name).first()
    rows = _claim_unsent(notification_ids)
    for sent, notification in enumerate(rows):
        subject, body = notification_email(notification, district)
        try:
            send_mail(subject, body, None, [notification.person.email])
        except Exception:
            Notification.objects.filter(pk__in=[row.pk for row in rows[sent:]]).update(emailed_at=None)
            raise
    return len(rows)


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
