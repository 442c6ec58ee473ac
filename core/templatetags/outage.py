"""The back-entered mark (``core.outage``): a dak, note or movement brought back after an outage
shows "back-entered (true time …, entered …)" wherever it is listed."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.models import Movement, Note, Receipt

register = template.Library()


def _mark(true_time, entered_at) -> str:
    text = _("back-entered (true time %(true)s, entered %(entered)s)") % {
        # In the district's time, as the template shows every other time (a tag is not converted).
        "true": date_filter(timezone.localtime(true_time), "DATETIME_FORMAT"),
        "entered": date_filter(timezone.localtime(entered_at), "DATETIME_FORMAT"),
    }
    return format_html('<strong class="ef-badge ef-back-entered">{}</strong>', text)


@register.simple_tag
def back_entered(record) -> str:
    """The mark of a back-entered receipt, note or movement; nothing for live ones."""
    entered = getattr(record, "back_entered_at", None)
    if not entered:
        return ""
    if isinstance(record, Movement):
        return _mark(record.at, entered)
    if isinstance(record, (Note, Receipt)):
        return _mark(record.created_at, entered)
    return ""


@register.simple_tag
def arrival_back_entered(item) -> str:
    """The mark of an item (file or dak) whose arrival at its post was back-entered."""
    entered = getattr(item, "arrival_entered_at", None)
    return _mark(item.arrived_at, entered) if entered else ""
