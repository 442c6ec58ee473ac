"""Reads of the district's audit trail, for the district admin's audit page and a record's history.

These filter by what is asked, not by who asks: the caller decides who may read the trail (the
district admin's views are behind ``admin_required``; a file's history page shows its events only
to those who may see the file). Run under the district's schema.
"""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from core.models import AuditEvent

__all__ = ["audit_event_list", "audit_events_for"]


def _as_start(value: datetime.date | datetime.datetime) -> datetime.datetime:
    # A date means the whole day in the district's time zone.
    if isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))


def audit_event_list(
    *,
    target=None,
    target_type: str = "",
    target_id: str = "",
    person_id: int | None = None,
    action_prefix: str = "",
    since: datetime.date | datetime.datetime | None = None,
    until: datetime.date | datetime.datetime | None = None,
) -> QuerySet[AuditEvent]:
    """The district's events, newest first, narrowed by whatever is given.

    ``target`` (a model instance) or ``target_type``/``target_id``; ``person_id`` (who acted);
    ``action_prefix`` ("office." for every office action, or a full action); ``since`` from that
    moment or date on; ``until`` up to that moment, or to the end of that date. The queryset is
    lazy: slice or paginate it.
    """
    events = AuditEvent.objects.all()
    if target is not None:
        target_type, target_id = target._meta.model_name, str(target.pk)
    if target_type:
        events = events.filter(target_type=target_type)
    if target_id:
        events = events.filter(target_id=str(target_id))
    if person_id is not None:
        events = events.filter(person_id=person_id)
    if action_prefix:
        events = events.filter(action__startswith=action_prefix)
    if since is not None:
        events = events.filter(at__gte=_as_start(since))
    if until is not None:
        if isinstance(until, datetime.datetime):
            events = events.filter(at__lte=until)
        elif until < datetime.date.max:  # the last day there is has no day after it
            events = events.filter(at__lt=_as_start(until + datetime.timedelta(days=1)))
    return events.order_by("-id")


def audit_events_for(target) -> QuerySet[AuditEvent]:
    """Every event about one record (a model instance), newest first."""
    return audit_event_list(target=target)
