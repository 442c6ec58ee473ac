"""Template helpers of the e-File's movement pages: ``{% load efile_movement %}``."""

from __future__ import annotations

import datetime

from django import template
from django.urls import reverse
from django.utils.translation import ngettext

from core.efile.audit_labels import action_label
from core.efile.selectors.posts import post_choices as build_choices
from core.efile.selectors.track import file_actions as allowed
from core.efile.views.movement import file_page_url
from core.models import EFile, Receipt

register = template.Library()


@register.simple_tag
def file_actions(file: EFile, viewer, post_choices=None):
    """What the viewer may do with the file now (``core.efile.selectors.track.file_actions``),
    with the post picker for sending (``post_choices`` as given, or built here when needed)."""

    actions = allowed(file, viewer)
    actions.post_choices = (
        (post_choices or build_choices(exclude_post_id=file.current_post_id)) if actions.send else []
    )
    return actions


@register.filter
def item_url(item) -> str:
    """The page of a file or a receipt."""
    if isinstance(item, EFile):
        return file_page_url(item)
    if isinstance(item, Receipt):
        return reverse("efile_receipt", args=[item.pk])
    return ""


@register.filter
def held_for(value: datetime.timedelta | None) -> str:
    """``3 days 4 hours``, ``2 hours 5 minutes``, ``under a minute``: how long a post held an item."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if minutes and not days:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    if not parts:
        from django.utils.translation import gettext

        return gettext("under a minute")
    return " ".join(parts)


@register.filter
def audit_action(action: str) -> str:
    """``{{ event.action|audit_action }}``: what an audit action means, in the page's language."""

    return action_label(action)
