"""The documents panel's reads: an item's documents with their versions, newest version first."""

from django import template
from django.conf import settings

from core.efile.selectors.documents import item_documents
from core.models import Document

register = template.Library()


@register.simple_tag
def documents_of(owner, documents=None) -> list[Document]:
    """The documents of a file or a receipt the page already shows (and so the viewer may see):
    ``documents`` when the page has read them already (a list), else ``item_documents`` (two
    queries). A page that passes none gives the template's empty value, not a list."""
    return documents if isinstance(documents, list) else item_documents(owner)


@register.simple_tag
def upload_max_mb() -> int:
    return settings.KARYALAY_UPLOAD_MAX_MB


@register.filter
def reader_url(reading, document) -> str:
    """The file reader at ``document`` (``core.efile.views.reader.Reading.url``)."""
    return reading.url(document=document)


@register.filter
def receipt_reader_url(reading, receipt) -> str:
    """The file reader at a dak's scan (``Reading.receipt_url``), or "" when it has none."""
    return reading.receipt_url(receipt.pk) if reading is not None else ""
