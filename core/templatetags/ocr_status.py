"""Whether this server can OCR scanned papers, for pages that warn when it cannot (the district
admin's dashboard): ``{% load ocr_status %}{% ocr_status as ocr %}`` gives ``ocr.available`` and
``ocr.missing`` (Debian packages to install)."""

from django import template

from core.ocr.engine import ocr_available, ocr_missing

register = template.Library()


@register.simple_tag
def ocr_status() -> dict:
    available = ocr_available()
    return {"available": available, "missing": [] if available else ocr_missing()}
