"""What a reply is made of that both the reply service (``replies``) and the making of its PDF and
zip (``bundle``) read: the sections a rejection may rely on, and which version of a disclosed
document goes out. Apart from ``replies`` so that the bundle (run by ``core.rti.tasks``) does not
import the service that enqueues it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from core.models import Document, DocumentVersion

# The exemptions a PIO may rely on to refuse (RTI Act, 2005, ss.8(1), 9, 11 and 24).
REJECTION_SECTIONS = (
    ("8(1)(a)", gettext_lazy("8(1)(a): sovereignty, integrity, security or strategic interests of India")),
    ("8(1)(b)", gettext_lazy("8(1)(b): forbidden by a court, or its disclosure would be contempt of court")),
    ("8(1)(c)", gettext_lazy("8(1)(c): would breach the privilege of Parliament or a State Legislature")),
    ("8(1)(d)", gettext_lazy("8(1)(d): commercial confidence, trade secrets or intellectual property")),
    ("8(1)(e)", gettext_lazy("8(1)(e): held in a fiduciary relationship")),
    ("8(1)(f)", gettext_lazy("8(1)(f): received in confidence from a foreign government")),
    (
        "8(1)(g)",
        gettext_lazy(
            "8(1)(g): would endanger a person's life or safety, or identify a confidential source "
            "of information for law enforcement"
        ),
    ),
    (
        "8(1)(h)",
        gettext_lazy("8(1)(h): would impede the investigation, apprehension or prosecution of offenders"),
    ),
    ("8(1)(i)", gettext_lazy("8(1)(i): cabinet papers")),
    (
        "8(1)(j)",
        gettext_lazy("8(1)(j): personal information with no relation to any public activity or interest"),
    ),
    ("9", gettext_lazy("9: would infringe the copyright of a person other than the State")),
    ("11", gettext_lazy("11: third-party information, disclosure refused after hearing the third party")),
    ("24", gettext_lazy("24: an intelligence or security organisation to which the Act does not apply")),
)
REJECTION_SECTION_CODES = frozenset(code for code, _label in REJECTION_SECTIONS)


def rejection_section_label(code: str) -> str:
    """The section with its ground, in the active language (the code itself if unknown)."""
    return str(dict(REJECTION_SECTIONS).get(code, code))


def latest_version(document: Document) -> DocumentVersion | None:
    return document.versions.order_by("-number").first()
