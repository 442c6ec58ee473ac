"""The state console's own records, in the public schema.

Nothing here points into a district's schema: a district's offices are named by their codes, and
the figures of every district reach the state dashboard through the rollup tables, which a
periodic task refreshes (the dashboard never reads every schema).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import OfficerImportBase
from tenants.models import District, PoliceRange
from tenants.names import BilingualName


class AuditEvent(models.Model):
    """One action of platform staff: who, what, which district, when, from where. Append-only."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too: the record must outlive the account and the district it names.
    actor_login = models.CharField(_("login ID"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    district_slug = models.CharField(_("district"), max_length=40, blank=True, db_index=True)
    target = models.CharField(_("what"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_login} {self.action}"


class OfficeTemplate(models.Model):
    """The offices and posts a district starts with, applied at onboarding or later.

    ``offices`` is a list of ``{"code", "name", "name_hi", "kind", "parent", "phase", "posts":
    [{"code", "title", "title_hi", "kind"}]}``; names may hold ``{district}`` / ``{district_hi}``.
    """

    id = models.BigAutoField(primary_key=True)
    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name (English)"), max_length=150)
    name_hi = models.CharField(_("name (Hindi)"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)
    offices = models.JSONField(_("offices"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("office template")
        verbose_name_plural = _("office templates")

    def __str__(self) -> str:
        return self.name


class RolloutPlan(BilingualName, models.Model):
    """A phased rollout, e.g. of the Tirhut range: phases, each with a target date per district."""

    id = models.BigAutoField(primary_key=True)
    name = models.CharField(_("name (English)"), max_length=150)
    name_hi = models.CharField(_("name (Hindi)"), max_length=150, blank=True)
    police_range = models.ForeignKey(
        PoliceRange,
        verbose_name=_("police range"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rollout_plans",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("rollout plan")
        verbose_name_plural = _("rollout plans")

    def __str__(self) -> str:
        return self.name


class RolloutPhase(BilingualName, models.Model):
    id = models.BigAutoField(primary_key=True)
    plan = models.ForeignKey(RolloutPlan, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField(_("phase"))
    name = models.CharField(_("name (English)"), max_length=150)
    name_hi = models.CharField(_("name (Hindi)"), max_length=150, blank=True)
    # Office kinds (core.Office.Kind values) that this phase takes live.
    office_kinds = models.JSONField(_("office types"), default=list)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="state_phase_number_unique")]

    def __str__(self) -> str:
        return self.name


class PhaseTarget(models.Model):
    """When a district's offices of a phase go live; the periodic task acts on ``target_on``."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        BLOCKED = "blocked", _("Waiting for readiness")
        DONE = "done", _("Live")

    id = models.BigAutoField(primary_key=True)
    phase = models.ForeignKey(RolloutPhase, on_delete=models.CASCADE, related_name="targets")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="phase_targets")
    target_on = models.DateField(_("target date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    done_on = models.DateField(_("went live on"), null=True, blank=True)
    # Offices (codes) that were not ready on the target date, with what each lacks.
    blocked_offices = models.JSONField(default=dict, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["target_on"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "district"], name="state_target_one_per_district")
        ]

    def __str__(self) -> str:
        return f"{self.phase} · {self.district}"


class ImportJob(OfficerImportBase):
    """The state console's import of officers, into one district or a district per row."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Blank when the file names a district on each row."),
    )

    class Meta(OfficerImportBase.Meta):
        pass


class ExportJob(models.Model):
    """A downloadable archive of one district's schema and files, with its SHA-256."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Building")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    district = models.ForeignKey(District, null=True, on_delete=models.SET_NULL, related_name="exports")
    district_slug = models.CharField(max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    stored_name = models.CharField(max_length=200, blank=True)
    size = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    row_counts = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.district_slug} {self.created_at:%Y-%m-%d}"


class DistrictRollup(models.Model):
    """A district's figures as of ``refreshed_at``, for the state dashboard and district list."""

    district = models.OneToOneField(
        District, primary_key=True, on_delete=models.CASCADE, related_name="rollup"
    )
    offices_total = models.PositiveIntegerField(default=0)
    offices_live = models.PositiveIntegerField(default=0)
    # {"<phase>": {"planned": n, "preparing": n, "live": n}}
    offices_by_phase = models.JSONField(default=dict)
    # {"<readiness item>": number of offices (not live) lacking it}
    readiness_gaps = models.JSONField(default=dict)
    offices_not_ready = models.PositiveIntegerField(default=0)
    officers_posted = models.PositiveIntegerField(default=0)
    current_phase = models.PositiveSmallIntegerField(default=0)
    refreshed_at = models.DateTimeField(default=timezone.now)
    # The district's change mark when these figures were read (the statistics counts of its audit
    # and active-day tables, or their newest ids): a pass of the periodic rollup skips a district
    # whose mark is the same (state_admin.services.rollup.rollup_changes_seen).
    changes_seen = models.JSONField(default=dict)

    def __str__(self) -> str:
        return str(self.district)


class AdoptionWeek(models.Model):
    """One district's use of e-Office in one week (starting Monday)."""

    id = models.BigAutoField(primary_key=True)
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="adoption_weeks")
    week = models.DateField()
    active_officers = models.PositiveIntegerField(default=0)
    dak_diarised = models.PositiveIntegerField(default=0)
    files_moved = models.PositiveIntegerField(default=0)
    documents_uploaded = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["week"]
        constraints = [
            models.UniqueConstraint(fields=["district", "week"], name="state_adoption_one_per_week")
        ]
        indexes = [models.Index(fields=["week"], name="state_adoption_week_idx")]

    def __str__(self) -> str:
        return f"{self.district} {self.week}"


class AuditAnchor(models.Model):
    """A district's audit-chain head as seen at ``anchored_at``: outside the district's schema and
    signed with a key the database does not hold (``state_admin.services.audit_anchor``).

    Written every hour and on every verification, never changed (the signature covers the row's
    own id, so an old anchor copied over a newer one fails too). An anchor whose ``result`` says the
    chain held is the one later checks compare against: the event it names must still be there,
    with the same hash and the same number of events up to it.
    """

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("hourly")
        VERIFICATION = "verification", _("verification")

    class Result(models.TextChoices):
        OK = "ok", _("Chain holds")
        GUARDS_OFF = "guards_off", _("Chain holds, but append-only triggers are off")
        BROKEN = "broken", _("Chain broken")
        TRIMMED = "trimmed", _("Newest events removed")
        REWRITTEN = "rewritten", _("Anchored event changed")
        ANCHOR_TAMPERED = "anchor_tampered", _("Anchor tampered with")

    # Results whose head later checks may trust: the chain held when it was anchored.
    TRUSTED = (Result.OK, Result.GUARDS_OFF)

    id = models.BigAutoField(primary_key=True)
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="audit_anchors")
    schema_name = models.CharField(max_length=63)
    event_id = models.BigIntegerField(_("head event"))
    head_hash = models.CharField(_("head hash"), max_length=64)
    event_count = models.BigIntegerField(_("events"))
    anchored_at = models.DateTimeField(_("anchored"), default=timezone.now)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    # What was found, in English, for the logs and the console's detail (technical).
    problem = models.TextField(blank=True)
    signature = models.CharField(max_length=64)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["district", "-id"], name="state_anchor_district_idx")]
        verbose_name = _("audit anchor")
        verbose_name_plural = _("audit anchors")

    def __str__(self) -> str:
        return f"{self.schema_name} #{self.event_id} {self.result}"

    @property
    def trusted(self) -> bool:
        return self.result in self.TRUSTED
