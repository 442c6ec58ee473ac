"""Template helpers for the district's pages: ``{% load karyalay %}``."""

from django import template
from django.utils import translation

from core.base.names import name_in_language

register = template.Library()


@register.filter
def bilingual(obj, field: str = "name"):
    """``{{ office|bilingual }}``, ``{{ post|bilingual:"title" }}``: the Hindi form (``<field>_hi``)
    when the page is in Hindi and one is stored, else the English one."""
    return name_in_language(obj, field)


@register.filter
def person_name(person):
    """A person's name in the page's language (``full_name_hi`` in Hindi where stored)."""
    if person is None:
        return ""
    if translation.get_language() == "hi" and getattr(person, "full_name_hi", ""):
        return person.full_name_hi
    return getattr(person, "full_name", "") or getattr(person, "login_id", "")
