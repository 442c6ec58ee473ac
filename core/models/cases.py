"""The case register: cases registered at thanas, keyed the way police number them (thana, year,
FIR number), and the custody history of each case's physical papers.

This system does not re-enter what CCTNS holds; the FIR number is the link. Every write goes
through ``core.cases.services.register``; every read through ``core.cases.access``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.base.names import name_in_language
from core.models import Office, Post, account_key

# Words that end many thana names ("Mahua Thana", "Mahnar PS"): left out of a case's label, which
# says "PS case" itself.
_THANA_SUFFIXES = (" police station", " thana", " ps", " थाना")


def thana_short_name(office: Office) -> str:
    """The thana's name in the page's language, without a trailing "Thana"/"PS"."""
    name = name_in_language(office)
    for suffix in _THANA_SUFFIXES:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)].strip()
    return name


class PapersPlace(models.TextChoices):
    """Where a case's physical papers are kept."""

    THANA = "thana", _("Thana")
    SDPO_OFFICE = "sdpo_office", _("SDPO office")
    SP_OFFICE = "sp_office", _("SP office")
    COURT = "court", _("Court")
    RECORD_ROOM = "record_room", _("Record room")


class Case(models.Model):
    """A case registered at a thana: "Mahua PS case 123/2025"."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        INVESTIGATING = "investigating", _("Under investigation")
        CHARGE_SHEETED = "charge_sheeted", _("Charge-sheeted")
        FINAL_REPORT = "final_report", _("Final report")
        DISPOSED = "disposed", _("Disposed by court")
        TRANSFERRED = "transferred", _("Transferred")

    id = models.BigAutoField(primary_key=True)
    thana = models.ForeignKey(
        Office,
        verbose_name=_("thana"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Office.Kind.THANA},
    )
    year = models.PositiveSmallIntegerField(_("year"))
    fir_number = models.PositiveIntegerField(_("FIR number"))
    registered_on = models.DateField(_("registered on"))
    sections = models.CharField(
        _("sections of law"), max_length=500, help_text=_('For example "BNS 103(1), 3(5)".')
    )
    brief_facts = models.TextField(_("brief facts"), blank=True)
    complainant = models.CharField(_("complainant"), max_length=300, blank=True)
    accused = models.TextField(_("accused (names only)"), blank=True)
    io_post = models.ForeignKey(
        Post,
        verbose_name=_("investigating officer (post)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED)
    papers_at = models.CharField(
        _("papers kept at"), max_length=20, choices=PapersPlace.choices, default=PapersPlace.THANA
    )
    created_by = account_key(verbose_name=_("entered by"))
    created_post = models.ForeignKey(
        Post, verbose_name=_("entered as"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("entered"), default=timezone.now)

    class Meta:
        ordering = ["-year", "-fir_number", "id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(fields=["thana", "year", "fir_number"], name="core_case_unique_fir"),
            models.CheckConstraint(condition=Q(fir_number__gte=1), name="core_case_fir_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "thana"], name="core_case_status_idx"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """ "Mahua PS case 123/2025", in the page's language."""
        return gettext("%(thana)s PS case %(number)s/%(year)s") % {
            "thana": thana_short_name(self.thana),
            "number": self.fir_number,
            "year": self.year,
        }


class CaseCustody(models.Model):
    """One move of a case's physical papers. The first row of a case records where its papers were
    first kept (``from_place`` blank)."""

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="custody")
    from_place = models.CharField(_("from"), max_length=20, choices=PapersPlace.choices, blank=True)
    to_place = models.CharField(_("to"), max_length=20, choices=PapersPlace.choices)
    moved_on = models.DateField(_("moved on"))
    remarks = models.TextField(_("remarks"), blank=True)
    by = account_key(verbose_name=_("recorded by"))
    by_post = models.ForeignKey(
        Post, verbose_name=_("recorded as"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["case", "moved_on", "id"]
        verbose_name = _("custody of case papers")
        verbose_name_plural = _("custody of case papers")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_place} → {self.to_place}"


class CaseProgress(models.Model):
    """A progress report on a case by its investigating officer (or an officer of the thana)."""

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="progress")
    reported_on = models.DateField(_("reported on"))
    done = models.TextField(_("what was done"))
    next_steps = models.TextField(_("next steps"), blank=True)
    by = account_key(verbose_name=_("reported by"))
    post = models.ForeignKey(Post, verbose_name=_("reported as"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["case", "reported_on", "id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        indexes = [models.Index(fields=["case", "reported_on"], name="core_caseprogress_case_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.reported_on}"


class CaseReview(models.Model):
    """A supervisor's review of a case, with directions to the investigating officer and the date
    they are due by; ``complied_on`` is set when the IO reports them complied with."""

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    directions = models.TextField(_("directions"))
    due_on = models.DateField(_("due by"))
    by = account_key(verbose_name=_("reviewed by"))
    post = models.ForeignKey(Post, verbose_name=_("reviewed as"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("recorded"), default=timezone.now)
    complied_on = models.DateField(_("complied on"), null=True, blank=True)
    compliance_note = models.TextField(_("compliance note"), blank=True)

    class Meta:
        ordering = ["case", "reviewed_on", "id"]
        verbose_name = _("supervisory review")
        verbose_name_plural = _("supervisory reviews")
        indexes = [
            models.Index(fields=["case", "reviewed_on"], name="core_casereview_case_idx"),
            models.Index(
                fields=["due_on"], name="core_casereview_pending_idx", condition=Q(complied_on__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.reviewed_on} → {self.due_on}"


class DigitisationTarget(models.Model):
    """How many old cases of an office (a thana) are to be digitised; the count done is read from
    the digitisation rows of its cases, never stored."""

    id = models.BigAutoField(primary_key=True)
    office = models.OneToOneField(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="digitisation_target"
    )
    target = models.PositiveIntegerField(_("old cases to digitise"))
    set_by = account_key(verbose_name=_("set by"))
    set_at = models.DateTimeField(_("set"), default=timezone.now)

    class Meta:
        verbose_name = _("digitisation target")
        verbose_name_plural = _("digitisation targets")

    def __str__(self) -> str:
        return f"{self.office_id}: {self.target}"


class DigitisationBatch(models.Model):
    """An upload of old case papers: a zip of scans and a CSV manifest naming, row by row, which
    scan belongs to which case. Checked and stored in the background; ``report`` lists each row
    that could not be taken, with the reason."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.BigAutoField(primary_key=True)
    zip_stored = models.CharField(max_length=200)
    zip_name = models.CharField(_("zip file"), max_length=255)
    manifest_stored = models.CharField(max_length=200)
    manifest_name = models.CharField(_("manifest"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    rows_taken = models.PositiveIntegerField(_("rows taken"), default=0)
    documents_added = models.PositiveIntegerField(_("papers added"), default=0)
    report = models.JSONField(_("rows not taken"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = account_key(verbose_name=_("uploaded by"))
    created_post = models.ForeignKey(
        Post, verbose_name=_("uploaded as"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("digitisation batch")
        verbose_name_plural = _("digitisation batches")

    def __str__(self) -> str:
        return f"{self.pk} {self.zip_name}"


class CaseDigitisation(models.Model):
    """An old case whose papers were digitised, and the quality check of a second person: checked,
    or sent back with a remark (and digitised again, which waits for a check once more)."""

    class Status(models.TextChoices):
        DIGITISED = "digitised", _("Digitised, waiting for a check")
        CHECKED = "checked", _("Checked")
        SENT_BACK = "sent_back", _("Sent back")

    id = models.BigAutoField(primary_key=True)
    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="digitisation"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DIGITISED)
    batch = models.ForeignKey(
        DigitisationBatch,
        verbose_name=_("batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    digitised_by = account_key(verbose_name=_("digitised by"))
    digitised_post = models.ForeignKey(
        Post, verbose_name=_("digitised as"), on_delete=models.PROTECT, related_name="+"
    )
    digitised_at = models.DateTimeField(_("digitised"), default=timezone.now)
    checked_by = account_key(verbose_name=_("checked by"), null=True, blank=True)
    checked_post = models.ForeignKey(
        Post, verbose_name=_("checked as"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)

    class Meta:
        verbose_name = _("case digitisation")
        verbose_name_plural = _("case digitisations")
        indexes = [models.Index(fields=["status"], name="core_casedigitisation_status")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.status}"


__all__ = [
    "Case",
    "CaseCustody",
    "CaseDigitisation",
    "CaseProgress",
    "CaseReview",
    "DigitisationBatch",
    "DigitisationTarget",
    "PapersPlace",
    "thana_short_name",
]
