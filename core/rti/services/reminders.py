"""The daily RTI reminders: an application whose reply is due in 5 days, due tomorrow, or overdue
is told to the holders of its PIO post and of the post supervising the PIO (in-app, and by e-mail
after commit through ``core.base.notifications.notification_email_task``); what its notices
say and link to is registered with ``core.base.notifications`` (``register``, from ``CoreConfig.ready``).

Each reminder is sent once per application, kind and reply due date (``RtiReminder``): a second
run the same day sends nothing, and a due date that moves (a further fee paid) gets its own
reminders. Due dates come from ``core.rti.clocks``, the same as the application page shows.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.base.access import heads_office
from core.base.audit import audit_append
from core.base.names import name_in_language
from core.base.notifications import email_on_commit, notice_register, post_holder_ids
from core.models import Notification, Office, Post, RtiApplication, RtiReminder
from core.rti.access import rtis_visible
from core.rti.clocks import rti_clocks
from core.rti.selectors.applications import application_url

KINDS = {
    5: (RtiReminder.Kind.DUE_5, Notification.Kind.RTI_DUE_5),
    1: (RtiReminder.Kind.DUE_1, Notification.Kind.RTI_DUE_1),
}
OVERDUE = (RtiReminder.Kind.OVERDUE, Notification.Kind.RTI_OVERDUE)


def reminder_kind(*, due_on: datetime.date | None, today: datetime.date):
    """(reminder kind, notification kind) due on ``today`` for a reply due on ``due_on``, or None:
    exactly 5 days before, exactly 1 day before, or any day after (told once per due date)."""
    if due_on is None:
        return None
    days_left = (due_on - today).days
    if days_left < 0:
        return OVERDUE
    return KINDS.get(days_left)


def supervisor_post_id(pio_post: Post) -> int | None:
    """The post over the PIO's: the narrowest open post heading the PIO's office or one above it
    (``core.base.access.HEAD_POST_KINDS``; the SP's post for the SP office), other than the PIO's
    own post; else the district's SP post; None if there is none."""
    office = Office.objects.filter(pk=pio_post.office_id).first()
    seen = set()
    while office is not None and office.pk not in seen:
        seen.add(office.pk)
        posts = (
            Post.objects.filter(office=office, closed_on__isnull=True).exclude(pk=pio_post.pk).order_by("id")
        )
        for post in posts:
            if heads_office(post.kind, office.kind) or (
                office.kind == Office.Kind.SP_OFFICE and post.kind == Post.Kind.SP
            ):
                return post.pk
        office = Office.objects.filter(pk=office.parent_id).first() if office.parent_id else None
    return (
        Post.objects.filter(kind=Post.Kind.SP, closed_on__isnull=True)
        .exclude(pk=pio_post.pk)
        .order_by("id")
        .values_list("pk", flat=True)
        .first()
    )


def _open_applications():
    return (
        RtiApplication.objects.exclude(status__in=RtiApplication.CLOSED_STATUSES)
        .select_related("pio_post")
        .order_by("id")
    )


def _remind(application_id: int, *, today: datetime.date) -> int:
    """Send the reminder due today for one application, if any and not sent yet; returns the
    number of notifications made. Locks the application so two runs cannot both send it."""
    with transaction.atomic():
        application = _open_applications().select_for_update(of=("self",)).filter(pk=application_id).first()
        if application is None:
            return 0
        due_on = rti_clocks(application.facts, today=today).reply.due_on
        kinds = reminder_kind(due_on=due_on, today=today)
        if kinds is None:
            return 0
        reminder_kind_, notification_kind = kinds
        if RtiReminder.objects.filter(application=application, kind=reminder_kind_, due_on=due_on).exists():
            return 0
        RtiReminder.objects.create(application=application, kind=reminder_kind_, due_on=due_on)
        posts = [application.pio_post_id]
        supervisor = supervisor_post_id(application.pio_post)
        if supervisor is not None:
            posts.append(supervisor)
        rows, told = [], set()
        for post_id in posts:
            for person_id in post_holder_ids(post_id):
                if person_id in told:
                    continue
                told.add(person_id)
                rows.append(
                    Notification(
                        person_id=person_id, kind=notification_kind, post_id=post_id, rti=application
                    )
                )
        rows = Notification.objects.bulk_create(rows)
        email_on_commit(rows)
        audit_append(
            actor=None,
            action="rti.remind",
            target=application,
            summary=f"{application.number}: {reminder_kind_}",
            details={
                "kind": reminder_kind_,
                "due_on": due_on.isoformat(),
                "posts": posts,
                "people": len(rows),
            },
        )
        return len(rows)


def rti_reminders_send(today: datetime.date | None = None) -> int:
    """Send today's reminders in the current district (the daily task): for every application
    still awaiting a reply (not replied, rejected or transferred; one waiting for a further fee has
    no due date), reply due in 5 days, tomorrow, or past, each once per due date. Returns the
    number of notifications made."""
    today = today or timezone.localdate()
    return sum(_remind(pk, today=today) for pk in _open_applications().values_list("pk", flat=True))


def rti_notification_text(notification: Notification) -> tuple[str, str]:
    """(subject, line) of an RTI reminder in the active language, for its e-mail. Names the
    application by number and gives the reply due date: the applicant's name and what was asked
    never leave the system in an e-mail."""
    application = notification.rti
    post = name_in_language(notification.post, "title") if notification.post_id else ""
    subjects = {
        Notification.Kind.RTI_DUE_5: _("RTI application %(number)s at %(post)s: reply due in 5 days"),
        Notification.Kind.RTI_DUE_1: _("RTI application %(number)s at %(post)s: reply due tomorrow"),
        Notification.Kind.RTI_OVERDUE: _("RTI application %(number)s at %(post)s: reply overdue"),
    }
    subject = subjects.get(notification.kind, _("News of %(number)s")) % {
        "number": application.number,
        "post": post,
    }
    due_on = rti_clocks(application.facts, today=timezone.localdate()).reply.due_on
    if due_on is None:
        return subject, _("The reply waits for the further fee.")
    return subject, _("Reply due on %(date)s") % {"date": formats.date_format(due_on, "DATE_FORMAT")}


def register() -> None:
    """What an RTI reminder says and links to, for the notifications page and its e-mail."""
    notice_register(
        field="rti",
        text=rti_notification_text,
        path=lambda notification: application_url(notification.rti_id),
        visible_ids=lambda viewer, ids: set(
            rtis_visible(viewer).filter(pk__in=ids).values_list("pk", flat=True)
        ),
    )


__all__ = ["register", "reminder_kind", "rti_notification_text", "rti_reminders_send", "supervisor_post_id"]
