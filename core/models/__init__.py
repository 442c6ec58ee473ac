"""Offices, posts and postings inside one district's schema.

Files and dak are marked to posts, not people: a posting links a person (a global account in the
public schema) to a post for a period, so a transfer ends one posting and the desk passes to the
next holder. The e-File models (dak, files, movements, documents) are in ``core.models.efile``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The office and post that every district starts with (see core.org.services.district_seed).
ADMIN_OFFICE_CODE = "sp-office"
ADMIN_POST_CODE = "district-admin"


def account_key(**options) -> models.ForeignKey:
    """A district row's reference to an account (``tenants.User``, in the public schema).

    No database foreign key (core.0027): each would put two triggers on the accounts table per
    district, so ``tenants.account_references`` refuses the deletion of an account any schema's
    rows name instead. No reverse accessor, and nothing done here when an account goes. ``options``
    are the field's own (``verbose_name``, ``null``, ``blank``).
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        **options,
    )


class Office(models.Model):
    class Kind(models.TextChoices):
        SP_OFFICE = "sp_office", _("SP office")
        POLICE_LINE = "police_line", _("Police line / police centre")
        DSP_HQ = "dsp_hq", _("DSP headquarters")
        SDPO = "sdpo", _("SDPO office")
        CIRCLE = "circle", _("Circle office")
        THANA = "thana", _("Thana (police station)")
        OTHER = "other", _("Other office")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        PREPARING = "preparing", _("Preparing")
        LIVE = "live", _("Live")
        CLOSED = "closed", _("Closed")

    id = models.BigAutoField(primary_key=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    abbr = models.CharField(
        _("short code"),
        max_length=12,
        blank=True,
        help_text=_("Letters that begin the office's diary and file numbers, e.g. SPVAI."),
    )
    name = models.CharField(_("name (English)"), max_length=150)
    name_hi = models.CharField(_("name (Hindi)"), max_length=150, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    phase = models.PositiveSmallIntegerField(_("rollout phase"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    address = models.TextField(_("address"), blank=True)
    go_live_target = models.DateField(_("planned go-live date"), null=True, blank=True)
    went_live_on = models.DateField(_("went live on"), null=True, blank=True)
    go_live_override = models.TextField(
        _("go-live override"),
        blank=True,
        help_text=_("Why the office went live before its readiness checklist was complete."),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.TextField(_("reason for closing"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["phase", "name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name

    @property
    def number_prefix(self) -> str:
        """What begins the office's diary and file numbers: its short code, or its code in capitals."""
        # The code in capitals when no short code is set: codes are unique, so numbers never collide.
        return self.abbr or self.code.upper()


class Post(models.Model):
    class Kind(models.TextChoices):
        DISTRICT_ADMIN = "district_admin", _("District administrator (e-Office)")
        SP = "sp", _("Superintendent of Police")
        ADDL_SP = "addl_sp", _("Additional SP")
        DSP = "dsp", _("Deputy SP")
        SDPO = "sdpo", _("Sub-divisional police officer")
        INSPECTOR = "inspector", _("Inspector")
        SHO = "sho", _("Station house officer")
        SI = "si", _("Sub-inspector")
        ASI = "asi", _("Assistant sub-inspector")
        HEAD_CLERK = "head_clerk", _("Head clerk")
        CLERK = "clerk", _("Clerk")
        OPERATOR = "operator", _("Computer operator")
        PIO = "pio", _("Public information officer")
        OTHER = "other", _("Other post")

    id = models.BigAutoField(primary_key=True)
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="posts"
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title (English)"), max_length=150)
    title_hi = models.CharField(_("title (Hindi)"), max_length=150, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["office__name", "title"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return self.title


class Posting(models.Model):
    """A person holding a post from a date, until an end date (open-ended while it lasts)."""

    id = models.BigAutoField(primary_key=True)
    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="postings")
    person = account_key(verbose_name=_("person"))
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    additional_charge = models.BooleanField(_("additional charge"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="core_posting_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["post", "person"],
                condition=Q(ends_on__isnull=True),
                name="core_posting_one_open_per_person_post",
            ),
            # An additional charge is for a stated period: it always has an end date.
            models.CheckConstraint(
                condition=Q(additional_charge=False) | Q(ends_on__isnull=False),
                name="core_posting_additional_charge_ends",
            ),
        ]
        indexes = [models.Index(fields=["person", "ends_on"], name="core_posting_person_idx")]

    def __str__(self) -> str:
        return f"{self.person} → {self.post}"


class ReadinessItem(models.Model):
    """One item of an office's go-live checklist, with who confirmed it and when.

    An office is ready when every item in ``ReadinessItem.Item`` is confirmed done. The
    district-administration screens fill in the details of each item.
    """

    class Item(models.TextChoices):
        COMPUTERS = "computers", _("Computers installed")
        SCANNER = "scanner", _("Scanner")
        INTERNET = "internet", _("Internet tested")
        POWER = "power", _("Power backup")
        TRAINING = "training", _("Staff trained")
        MIGRATION = "migration", _("Old records migrated")

    id = models.BigAutoField(primary_key=True)
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="readiness_items")
    item = models.CharField(_("item"), max_length=20, choices=Item.choices)
    done = models.BooleanField(_("done"), default=False)
    details = models.JSONField(_("details"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    confirmed_by = account_key(verbose_name=_("confirmed by"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["office", "item"]
        verbose_name = _("readiness item")
        verbose_name_plural = _("readiness items")
        constraints = [models.UniqueConstraint(fields=["office", "item"], name="core_readiness_one_per_item")]

    def __str__(self) -> str:
        return f"{self.office} · {self.get_item_display()}"


class ActiveDay(models.Model):
    """A person used the district on a day: the basis of "active officers per week"."""

    id = models.BigAutoField(primary_key=True)
    person = account_key()
    day = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "day"], name="core_activeday_unique")]
        indexes = [models.Index(fields=["day"], name="core_activeday_day_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.day}"


class AccessBlock(models.Model):
    """A person barred from this district by its admin (deactivated); lifting it reactivates.

    Per district, not on the global account: a person transferred elsewhere keeps that access.
    History is kept: a block is lifted, never deleted.
    """

    id = models.BigAutoField(primary_key=True)
    person = account_key(verbose_name=_("person"))
    reason = models.TextField(_("reason"))
    blocked_at = models.DateTimeField(_("deactivated"), default=timezone.now)
    blocked_by = account_key(null=True, blank=True)
    lifted_at = models.DateTimeField(_("reactivated"), null=True, blank=True)
    lifted_by = account_key(null=True, blank=True)

    class Meta:
        ordering = ["-blocked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(lifted_at__isnull=True), name="core_accessblock_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.blocked_at:%Y-%m-%d}"


class TrainingSession(models.Model):
    """A training session for e-Office: when, where (or online), by whom, on what."""

    id = models.BigAutoField(primary_key=True)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    trainer = models.CharField(_("trainer"), max_length=150)
    topics = models.TextField(_("topics"), blank=True)
    office = models.ForeignKey(
        Office, verbose_name=_("office"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = account_key(null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return f"{self.held_on} {self.trainer}"


class TrainingInvite(models.Model):
    """An officer invited to a session, and whether they attended (None: not yet marked)."""

    id = models.BigAutoField(primary_key=True)
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="invites")
    person = account_key()
    invited_at = models.DateTimeField(default=timezone.now)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    marked_by = account_key(null=True, blank=True)
    marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="core_traininginvite_once")]
        indexes = [models.Index(fields=["person", "attended"], name="core_invite_person_idx")]

    def __str__(self) -> str:
        return f"{self.session_id} {self.person_id}"


class AuditEvent(models.Model):
    """The district's audit trail: append-only (the database refuses UPDATE and DELETE) and
    hash-chained: ``hash`` is the SHA-256 of ``prev_hash`` and this event's content, so an edit,
    a deletion or a reordering breaks the chain (``manage.py verify_audit <district>``).

    People and posts are kept by id and name, not by foreign key: the trail must never change
    because an account or a post did.
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    person_login = models.CharField(max_length=64, blank=True)
    post_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=60, db_index=True)
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    # Empty until the event is sealed into the chain (core.base.audit.audit_seal): its place in the
    # chain (1, 2, 3 … in the district), the hash of the event before it, and its own hash.
    seq = models.BigIntegerField(null=True, blank=True, unique=True)
    prev_hash = models.CharField(max_length=64, null=True, blank=True)
    hash = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="core_audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.id} {self.action} {self.target_type}:{self.target_id}"


class OfficerImportBase(models.Model):
    """An import of officers from a CSV/XLSX file: checked (dry run), then run in the background.

    The state console's jobs (public schema) and a district's own (its schema) share this shape.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Checked, not imported")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    done_rows = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename


class OfficerImport(OfficerImportBase):
    """A district admin's import of officers into this district: the same flow as the state
    console's, scoped to one district."""

    created_by = account_key(null=True)

    class Meta(OfficerImportBase.Meta):
        pass


# The e-File and case register models live in their own modules; importing them here registers
# them with the app.
from core.models.cases import *  # noqa: E402,F403
from core.models.cases import __all__ as _cases_all  # noqa: E402
from core.models.efile import *  # noqa: E402,F403
from core.models.efile import __all__ as _efile_all  # noqa: E402
from core.models.letters import *  # noqa: E402,F403
from core.models.letters import __all__ as _letters_all  # noqa: E402
from core.models.outage import *  # noqa: E402,F403
from core.models.outage import __all__ as _outage_all  # noqa: E402
from core.models.rti import *  # noqa: E402,F403
from core.models.rti import __all__ as _rti_all  # noqa: E402
from core.models.search import *  # noqa: E402,F403
from core.models.search import __all__ as _search_all  # noqa: E402

__all__ = [
    "ADMIN_OFFICE_CODE",
    "ADMIN_POST_CODE",
    "AccessBlock",
    "ActiveDay",
    "AuditEvent",
    "Office",
    "OfficerImport",
    "OfficerImportBase",
    "Post",
    "Posting",
    "ReadinessItem",
    "TrainingInvite",
    "TrainingSession",
    *_efile_all,
    *_letters_all,
    *_outage_all,
    *_cases_all,
    *_rti_all,
    *_search_all,
]
