"""The documents panel's reads: an item's documents with their versions, newest version first."""

from django import template
from django.conf import settings
from django.db.models import Prefetch

from core.models import Document, DocumentVersion, EFile

register = template.Library()


@register.simple_tag
def documents_of(owner) -> list[Document]:
    """The documents of a file or a receipt the page already shows (and so the viewer may see),
    each with ``versions`` (newest first) in two queries whatever their number."""
    if owner is None or owner.pk is None:
        return []
    documents = Document.objects.filter(**{"file" if isinstance(owner, EFile) else "receipt": owner})
    versions = DocumentVersion.objects.select_related("uploaded_by").order_by("-number")
    return list(documents.prefetch_related(Prefetch("versions", queryset=versions)))


@register.simple_tag
def upload_max_mb() -> int:
    return settings.KARYALAY_UPLOAD_MAX_MB
