"""Template filters for names kept in both scripts (``tenants.names``)."""

from django import template
from django.utils.html import format_html

from tenants.names import hindi_active, local_name

register = template.Library()


def _names(thing) -> tuple[str, str]:
    if thing is None:
        return "", ""
    if isinstance(thing, dict):
        return thing.get("name") or "", thing.get("name_hi") or ""
    return getattr(thing, "name", "") or "", getattr(thing, "name_hi", "") or ""


@register.filter
def display_name(thing) -> str:
    """The name in the page's language: ``{{ district|display_name }}``."""
    return local_name(*_names(thing))


@register.filter
def both_names(thing) -> str:
    """The name in the page's language first, then the other script's, if different:
    "Vaishali · वैशाली" on English pages, "वैशाली · Vaishali" on Hindi pages."""
    name, name_hi = _names(thing)
    if not name_hi or name_hi == name:
        return format_html("{}", name)
    if hindi_active():
        return format_html('<span lang="hi">{}</span> · <span lang="en">{}</span>', name_hi, name)
    return format_html('{} · <span lang="hi">{}</span>', name, name_hi)
