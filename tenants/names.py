"""Names kept in both scripts (districts, ranges, rollout plans and phases), shown in the page's
language: the Hindi name on Hindi pages where there is one, else the English name."""

from django.utils.translation import get_language


def hindi_active() -> bool:
    return (get_language() or "").startswith("hi")


def local_name(name: str, name_hi: str) -> str:
    """``name_hi`` on a Hindi page when it is set, otherwise ``name``."""
    return name_hi if name_hi and hindi_active() else name


class BilingualName:
    """For anything with ``name`` and ``name_hi``: ``display_name`` in the active language."""

    name: str
    name_hi: str

    @property
    def display_name(self) -> str:
        return local_name(self.name, self.name_hi)
