"""Telling people that something reached their post, the part every area shares: who holds a post
today, the e-mail of a notification after commit, and a registry of what each area's notices say
and link to.

A notification (``core.models.Notification``) names its item by one key (``file``, ``receipt``,
``rti`` …). The area that owns that kind of item registers it once at start-up
(``notice_register``, from ``CoreConfig.ready``): its subject line in the active language, the path
of the item's page, and which of those items a viewer still sees. This module imports no area.

E-mails go after commit through ``notification_email_task``, in Hindi and English (a person has no
stored language).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.base.access import Viewer
from core.base.holders import post_holding_list
from core.models import Notification, Post
from tenants.models import District, User
from tenants.tasks import district_task
from tenants.urls import absolute_url


@dataclass(frozen=True)
class NoticeKind:
    """What notices about one kind of item say: ``field`` is the ``Notification``'s key to the
    item; ``text(notification)`` its (subject, line) in the active language; ``path(notification)``
    the item's page on the district's host; ``visible_ids(viewer, ids)`` which of these items the
    viewer still sees."""

    field: str
    text: Callable[[Notification], tuple[str, str]]
    path: Callable[[Notification], str]
    visible_ids: Callable[[Viewer, set[int]], set[int]]


_KINDS: dict[str, NoticeKind] = {}


def notice_register(*, field: str, text: Callable, path: Callable, visible_ids: Callable) -> NoticeKind:
    """Register (or replace) what notices about items named by ``field`` say (idempotent)."""
    kind = NoticeKind(field=field, text=text, path=path, visible_ids=visible_ids)
    _KINDS[field] = kind
    return kind


def notice_kind(notification: Notification) -> NoticeKind:
    """The registered kind of the item the notification names."""
    for kind in list(_KINDS.values()):
        if getattr(notification, f"{kind.field}_id") is not None:
            return kind
    raise LookupError(f"No notice kind registered for notification {notification.pk}")


def notice_kinds() -> list[NoticeKind]:
    return list(_KINDS.values())


def post_holder_ids(post: Post | int) -> list[int]:
    """The people holding the post today (each once)."""
    post_id = post.pk if isinstance(post, Post) else post
    return list(dict.fromkeys(posting.person_id for posting in post_holding_list(post_ids=[post_id])))


@district_task(retries=2, retry_delay=60)
def notification_email_task(notification_ids: list[int]) -> int:
    """Runs after something reached a post (or passed its due date) and the change committed:
    e-mails each holder with an address, in Hindi and English. Notifications already e-mailed, or
    gone, are skipped, so a retry never sends twice. Returns how many e-mails went."""
    return notifications_email(notification_ids)


def email_on_commit(rows: list[Notification]) -> None:
    """Enqueue the e-mails of these notifications (to people with an address) after commit."""
    ids = [row.pk for row in rows]
    if not ids or not User.objects.filter(pk__in={row.person_id for row in rows}).exclude(email="").exists():
        return
    schema = connection.schema_name

    def enqueue():
        notification_email_task(schema, notification_ids=ids)

    transaction.on_commit(enqueue)


def notification_text(notification: Notification) -> tuple[str, str]:
    """(subject, line) of a notification in the active language, as its area says."""
    return notice_kind(notification).text(notification)


def notification_email(notification: Notification, district) -> tuple[str, str]:
    """The e-mail of one notification, in Hindi and in English (people have no stored language)."""
    url = absolute_url(district, notice_kind(notification).path(notification))
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
            .select_related("person", "post", *(kind.field for kind in notice_kinds()))
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
