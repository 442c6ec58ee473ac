"""One-click search: one index row per searchable record, and the text read from scanned pages.

``SearchEntry`` is derived data: ``core.search`` writes it from the records (dak, files with
their notes, documents with their pages' text, cases, RTI applications, the people posted in the
district) and can rebuild it from scratch; nothing else reads it but the search, which filters it
through the same permission rules as the lists before it shows or counts anything.

``DocumentPage`` is one page of a stored document version as OCR read it (Tesseract, Hindi and
English), with its confidence; an officer may correct the text, and a page that yields nothing
(handwriting) is marked for manual indexing: a clerk fills in names, dates and a case number,
which the search then uses.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Office, account_key
from core.models.efile import DocumentVersion


class SearchEntry(models.Model):
    """A record as the search sees it: what to show, what to match, and what to filter on."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Dak")
        FILE = "file", _("Files")
        DOCUMENT = "document", _("Documents")
        CASE = "case", _("Cases")
        RTI = "rti", _("RTI applications")
        # Officers and staff posted in the district today (``core.people``): their service
        # number jumps to their directory card.
        PERSON = "person", _("Officers")

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField()
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    on = models.DateField(null=True, blank=True)  # the record's own date, for the date filter
    status = models.CharField(max_length=30, blank=True)
    # Numbers that name the record exactly (file number, diary number, "123/2025", RTI number,
    # service number), one per line, upper-case: a query equal to one of them jumps straight to
    # the record.
    identifiers = models.TextField(blank=True)
    title = models.TextField()
    body = models.TextField(blank=True)
    names = models.TextField(blank=True)  # people and places, in the scripts they were given
    # The same text transliterated into the other script, so "mahua" finds "महुआ" and back.
    other_script = models.TextField(blank=True)
    # Weighted tsvector over English and Hindi stemming and the plain words of both scripts;
    # written by ``core.search`` in SQL.
    document = SearchVectorField(null=True)
    # The keys that give sight of the record (posts, offices: migration core.0016 says which),
    # written by ``core.search`` in SQL; the search intersects them with the viewer's keys, in
    # each kind's index of its words and keys (migration core.0018).
    sight_keys = ArrayField(models.TextField(), default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="core_searchentry_one")]
        indexes = [
            GinIndex(fields=["document"], name="core_searchentry_doc"),
            models.Index(fields=["kind", "on"], name="core_searchentry_kind_on"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class SearchWord(models.Model):
    """A word of the district's titles, names and numbers (in both scripts), lower-case: the
    dictionary that typos are matched against (pg_trgm similarity over short words, not over
    whole rows). Derived from ``SearchEntry`` (its ``simple`` lexemes); a word whose records are
    gone stays until the next rebuild and then matches nothing."""

    word = models.TextField(primary_key=True)

    def __str__(self) -> str:
        return self.word


class DocumentPage(models.Model):
    """One page of a stored document version, as OCR read it."""

    class Status(models.TextChoices):
        READ = "read", _("Read")
        EMPTY = "empty", _("No text found: to be indexed by hand")
        INDEXED = "indexed", _("Indexed by hand")
        FAILED = "failed", _("Could not be read")

    id = models.BigAutoField(primary_key=True)
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="ocr_pages")
    number = models.PositiveIntegerField(_("page"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    text = models.TextField(_("text read"), blank=True)
    confidence = models.FloatField(_("confidence (%)"), null=True, blank=True)
    corrected_text = models.TextField(_("corrected text"), blank=True)
    corrected_by = account_key(null=True, blank=True)
    corrected_at = models.DateTimeField(null=True, blank=True)
    # Manual indexing of a page without text (handwriting): what a clerk read off it.
    manual_names = models.TextField(_("names"), blank=True)
    manual_dates = models.CharField(_("dates"), max_length=300, blank=True)
    manual_case_number = models.CharField(_("case number"), max_length=100, blank=True)
    indexed_by = account_key(null=True, blank=True)
    indexed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="core_documentpage_number")]
        indexes = [models.Index(fields=["status"], name="core_documentpage_status")]

    def __str__(self) -> str:
        return f"{self.version_id} p{self.number}"

    @property
    def searchable_text(self) -> str:
        """What the search indexes: the corrected text where there is one, and the manual fields."""
        parts = [
            self.corrected_text or self.text,
            self.manual_names,
            self.manual_dates,
            self.manual_case_number,
        ]
        return "\n".join(part for part in parts if part)


__all__ = ["DocumentPage", "SearchEntry", "SearchWord"]
