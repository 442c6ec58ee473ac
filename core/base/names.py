"""Names in the language of the page: one rule for templates (the ``bilingual`` filter) and for the
messages services write (refusals naming a post or an office)."""

from django.utils import translation


def name_in_language(obj, field: str = "name") -> str:
    """The Hindi form (``<field>_hi``) when the active language is Hindi and one is stored, else the
    English one; "" for None."""
    if obj is None:
        return ""
    if translation.get_language() == "hi":
        hindi = getattr(obj, f"{field}_hi", "")
        if hindi:
            return hindi
    return getattr(obj, field, "")
