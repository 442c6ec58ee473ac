"""The RTI register: applications under the Right to Information Act, 2005, their replies and the
reminders sent about them.

The statutory dates are never stored: ``core.rti.clocks`` computes them from the dates kept here
(``RtiApplication.facts``), so the page, the reminders and the monthly register agree. Every write
goes through ``core.rti.services.applications``; every read through ``core.rti.access``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Office, Post, account_key
from core.models.cases import Case
from core.models.efile import Document, EFile
from core.rti.clocks import RtiFacts


class RtiApplication(models.Model):
    """One application for information, numbered per office and year (``RTI/SPVAI/2025/0012``)."""

    class Mode(models.TextChoices):
        BY_HAND = "by_hand", _("By hand")
        POST = "post", _("By post")
        ONLINE = "online", _("Online / transferred from another authority")
        APIO = "apio", _("Through an APIO")

    class Fee(models.TextChoices):
        PAID = "paid", _("Fee paid")
        BPL = "bpl", _("BPL, exempt")
        UNPAID = "unpaid", _("Fee not paid")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        TRANSFERRED = "transferred", _("Transferred")
        FEE_PENDING = "fee_pending", _("Further fee pending")
        THIRD_PARTY = "third_party", _("Third party notified")
        REPLIED = "replied", _("Replied")
        REJECTED = "rejected", _("Rejected")
        DEEMED_REFUSED = "deemed_refused", _("Deemed refused")

    # Statuses after which no reply is awaited from this authority.
    CLOSED_STATUSES = (Status.TRANSFERRED, Status.REPLIED, Status.REJECTED)

    id = models.BigAutoField(primary_key=True)
    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("register number"), max_length=40, unique=True)
    received_on = models.DateField(_("received on"))
    received_at = models.TimeField(_("time received"), null=True, blank=True)
    mode = models.CharField(_("received how"), max_length=10, choices=Mode.choices)
    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_address = models.TextField(_("applicant's address"))
    subject = models.TextField(_("information asked for"))
    life_or_liberty = models.BooleanField(_("concerns the life or liberty of a person"), default=False)
    fee = models.CharField(_("fee"), max_length=10, choices=Fee.choices, default=Fee.PAID)
    further_fee_amount = models.DecimalField(
        _("further fee (₹)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    further_fee_asked_on = models.DateField(_("further fee asked on"), null=True, blank=True)
    further_fee_paid_on = models.DateField(_("further fee paid on"), null=True, blank=True)
    third_party_notified_on = models.DateField(_("third party notified on"), null=True, blank=True)
    pio_post = models.ForeignKey(
        Post, verbose_name=_("public information officer (post)"), on_delete=models.PROTECT, related_name="+"
    )
    helper_posts = models.ManyToManyField(
        Post, verbose_name=_("officers whose help was sought"), blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    transferred_to = models.CharField(_("transferred to"), max_length=300, blank=True)
    transferred_on = models.DateField(_("transferred on"), null=True, blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    rejection_section = models.CharField(_("section relied on"), max_length=60, blank=True)
    appeal_received_on = models.DateField(_("first appeal received on"), null=True, blank=True)
    appeal_reasons_recorded = models.BooleanField(_("reasons recorded for 45 days"), default=False)
    appeal_decided_on = models.DateField(_("first appeal decided on"), null=True, blank=True)
    files = models.ManyToManyField(EFile, verbose_name=_("linked files"), blank=True, related_name="+")
    cases = models.ManyToManyField(Case, verbose_name=_("linked cases"), blank=True, related_name="+")
    documents = models.ManyToManyField(
        Document, verbose_name=_("linked documents"), blank=True, related_name="+"
    )
    created_by = account_key(verbose_name=_("entered by"))
    created_post = models.ForeignKey(
        Post, verbose_name=_("entered as"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("entered"), default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("RTI application")
        verbose_name_plural = _("RTI applications")
        indexes = [
            models.Index(fields=["status", "received_on"], name="core_rti_status_idx"),
            models.Index(fields=["pio_post", "status"], name="core_rti_pio_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(further_fee_paid_on__isnull=True) | Q(further_fee_asked_on__isnull=False),
                name="core_rti_fee_paid_after_asked",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def facts(self) -> RtiFacts:
        """What the statutory clocks are computed from."""
        return RtiFacts(
            received_on=self.received_on,
            received_at=self.received_at,
            via_apio=self.mode == self.Mode.APIO,
            life_or_liberty=self.life_or_liberty,
            third_party=self.third_party_notified_on is not None,
            fee_asked_on=self.further_fee_asked_on,
            fee_paid_on=self.further_fee_paid_on,
            transferred_on=self.transferred_on,
            replied_on=self.replied_on,
            appeal_received_on=self.appeal_received_on,
            appeal_reasons_recorded=self.appeal_reasons_recorded,
            appeal_decided_on=self.appeal_decided_on,
        )


class RtiReply(models.Model):
    """A reply to an application: a letter in Hindi or English, with the documents disclosed, made
    in the background into one PDF (letter first, then each document) and a zip of the originals.
    A rejection names the section relied on, the appellate authority and the period of appeal."""

    class Kind(models.TextChoices):
        INFORMATION = "information", _("Information given")
        REJECTION = "rejection", _("Rejection")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.BigAutoField(primary_key=True)
    application = models.ForeignKey(
        RtiApplication, verbose_name=_("application"), on_delete=models.PROTECT, related_name="replies"
    )
    kind = models.CharField(_("reply"), max_length=12, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    replied_on = models.DateField(_("replied on"))
    body = models.TextField(_("letter"))
    rejection_section = models.CharField(_("section relied on"), max_length=60, blank=True)
    appeal_authority = models.CharField(_("first appellate authority"), max_length=300, blank=True)
    appeal_days = models.PositiveSmallIntegerField(_("days to appeal"), default=30)
    documents = models.ManyToManyField(
        Document, verbose_name=_("documents disclosed"), blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    pdf_stored = models.CharField(max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    zip_stored = models.CharField(max_length=200, blank=True)
    zip_sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    by = account_key(verbose_name=_("replied by"))
    post = models.ForeignKey(Post, verbose_name=_("replied as"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["application", "at", "id"]
        verbose_name = _("RTI reply")
        verbose_name_plural = _("RTI replies")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.kind}"


class RtiReminder(models.Model):
    """A reminder the daily task has sent about an application: due in 5 days, due tomorrow, or
    overdue, each at most once per application and reply due date (a fee paid later moves the
    date, and the reminders of the new date are sent again)."""

    class Kind(models.TextChoices):
        DUE_5 = "due_5", _("Due in 5 days")
        DUE_1 = "due_1", _("Due tomorrow")
        OVERDUE = "overdue", _("Overdue")

    id = models.BigAutoField(primary_key=True)
    application = models.ForeignKey(RtiApplication, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "due_on"], name="core_rtireminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind} {self.due_on}"


__all__ = ["RtiApplication", "RtiReminder", "RtiReply"]
