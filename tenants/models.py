"""Districts, their domains, and people's global accounts (all in the public schema)."""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from tenants.names import BilingualName


class PoliceRange(BilingualName, models.Model):
    """A police range (e.g. Tirhut): a group of districts under one IG/DIG, and a unit of rollout."""

    id = models.BigAutoField(primary_key=True)
    name = models.CharField(_("name (English)"), max_length=100, unique=True)
    name_hi = models.CharField(_("name (Hindi)"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("police range")
        verbose_name_plural = _("police ranges")

    def __str__(self) -> str:
        # In the page's language: the range pickers of the state console show this.
        return self.display_name


class DistrictQuerySet(models.QuerySet):
    """The one rule for what counts as a police district (issue 22.2).

    A range office or police headquarters is a tenant like a district (its own schema and host),
    so anything that counts or lists *police districts* (the state dashboard, rollup totals,
    adoption, rollout targets, the ranges' district counts, supervision) reads
    ``police_districts()``; work that visits every schema (rollup rows, audit anchors, backups,
    nightly tasks) keeps reading every tenant. Filters on a related table use
    ``POLICE_DISTRICT_Q`` / ``police_district_q(prefix)``, the same rule."""

    def police_districts(self) -> "DistrictQuerySet":
        return self.filter(kind=District.Kind.DISTRICT)

    def supervising_offices(self) -> "DistrictQuerySet":
        """Range offices and police headquarters: tenants, not police districts."""
        return self.exclude(kind=District.Kind.DISTRICT)


def police_district_q(prefix: str = "") -> models.Q:
    """The police-district rule as a Q on a model that points at District through ``prefix``
    (e.g. ``police_district_q("district__")`` for a rollup row)."""
    return models.Q(**{f"{prefix}kind": District.Kind.DISTRICT})


class District(BilingualName, TenantMixin):
    """A police district: one PostgreSQL schema, one subdomain. A range office or police
    headquarters is a tenant too (``kind``); ``District.objects.police_districts()`` is the
    police districts alone."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        PROVISIONING = "provisioning", _("Provisioning")
        LIVE = "live", _("Live")
        SUSPENDED = "suspended", _("Suspended")
        ARCHIVED = "archived", _("Archived")

    class Kind(models.TextChoices):
        # A range or headquarters is a tenant of its own (issue 22.2): its own schema and host,
        # where the supervising officers (DIG, IG, ADG) hold posts; it supervises districts only
        # through the public supervision figures and letters, never by reading their schemas.
        DISTRICT = "district", _("District")
        RANGE = "range", _("Range office")
        HEADQUARTERS = "headquarters", _("Police headquarters")

    # Schemas are made by tenants.schemas (cloned from the template), never by save().
    auto_create_schema = False
    auto_drop_schema = False

    id = models.BigAutoField(primary_key=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name (English)"), max_length=100)
    name_hi = models.CharField(_("name (Hindi)"), max_length=100, blank=True)
    police_range = models.ForeignKey(
        PoliceRange,
        verbose_name=_("police range"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="districts",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DISTRICT)
    status_reason = models.TextField(_("reason for the status"), blank=True)
    # Officers sign in only through the state's identity provider (issue 20.5, config.sso): the
    # sign-in page shows the single sign-on button alone and a password is refused here.
    sso_required = models.BooleanField(_("single sign-on required"), default=False)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DistrictQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.LIVE

    @property
    def is_police_district(self) -> bool:
        """False for a range office or police headquarters (see ``DistrictQuerySet``)."""
        return self.kind == self.Kind.DISTRICT

    @property
    def is_read_only(self) -> bool:
        return self.status == self.Status.ARCHIVED

    @property
    def has_schema(self) -> bool:
        """Planned and provisioning districts have a row but no schema (yet)."""
        return self.status in STATUSES_WITH_SCHEMA

    @property
    def range_name(self) -> str:
        return self.police_range.name if self.police_range_id else ""


# Statuses of a district whose schema exists: provisioned, whatever became of it since.
STATUSES_WITH_SCHEMA = (District.Status.LIVE, District.Status.SUSPENDED, District.Status.ARCHIVED)


class Domain(DomainMixin):
    id = models.BigAutoField(primary_key=True)

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, login_id: str, password: str | None = None, **fields):
        user = self.model(login_id=login_id.lower(), **fields)
        if "email" in fields:
            user.email = self.normalize_email(fields["email"]) or ""
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, login_id: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(login_id, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person's account. Global: it lives in the public schema and survives transfers.

    Which districts the person may enter is decided by their postings there (``core``), not here.
    ``is_staff`` marks the state IT department's platform staff, who work on the root domain.
    """

    id = models.BigAutoField(primary_key=True)
    login_id = models.CharField(
        _("login ID"),
        max_length=64,
        unique=True,
        help_text=_("Personal login ID: lowercase letters, digits, dots, hyphens and underscores."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    service_number = models.CharField(
        _("service number"),
        max_length=32,
        blank=True,
        help_text=_("The number the police service knows the person by; it follows them on transfer."),
    )
    rank = models.CharField(_("rank"), max_length=60, blank=True)
    mobile = models.CharField(_("mobile"), max_length=15, blank=True)
    full_name = models.CharField(_("name (English)"), max_length=150, blank=True)
    full_name_hi = models.CharField(_("name (Hindi)"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("platform staff"), default=False)
    must_set_password = models.BooleanField(
        _("must set own password"),
        default=False,
        help_text=_(
            "Set when an administrator creates the account; cleared when the person sets a password."
        ),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language the person chose; applied whenever they sign in, on any browser."),
    )

    objects = UserManager()

    USERNAME_FIELD = "login_id"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("email"),
                name="tenants_user_email_unique",
                condition=~models.Q(email=""),
            ),
            models.UniqueConstraint(
                fields=["service_number"],
                name="tenants_user_service_number_unique",
                condition=~models.Q(service_number=""),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.login_id

    def get_full_name(self) -> str:
        return self.full_name or self.login_id

    def get_short_name(self) -> str:
        return self.login_id


class DistrictMembership(models.Model):
    """Where a person holds postings: a public index kept by ``core``'s posting services.

    Lets the platform find a person's districts (a transfer ends the old postings, the state
    console shows where someone works) without looking into every district's schema.
    """

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="memberships")
    open_postings = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "district"], name="tenants_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.district}"


class TransferProposal(models.Model):
    """One district asking to take an officer who works in another: a message between districts.

    The receiving district's admin records it instead of acting on the other district (a district
    admin never changes another district). Nothing in the sending district changes until its own
    admin, on its own host, or the state console confirms, choosing the day of the move: then the
    postings there end that day and the posting proposed here starts that day, each audited in its
    own district (``core.org.services.transfers``). The post is named by its id in the receiving district's
    schema and by its title as text, since the sending district cannot read that schema.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting decision")
        CONFIRMED = "confirmed", _("confirmed")
        DECLINED = "declined", _("declined")

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="transfer_proposals")
    from_district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="transfers_out")
    to_district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="transfers_in")
    to_post_id = models.BigIntegerField()
    to_post_title = models.CharField(max_length=300)
    proposed_on = models.DateField(_("proposed date"))
    proposed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_by_login = models.CharField(max_length=64, blank=True)
    proposed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    moved_on = models.DateField(_("date of the move"), null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by_login = models.CharField(max_length=64, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    remarks = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            # One open question per person and district at a time: a second district's proposal
            # waits until the first is decided, so a confirmation never races another.
            models.UniqueConstraint(
                fields=["person", "from_district"],
                condition=models.Q(status="pending"),
                name="tenants_transfer_one_pending",
            ),
            models.CheckConstraint(
                condition=~models.Q(from_district=models.F("to_district")),
                name="tenants_transfer_two_districts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.from_district} → {self.to_district}"


class ApiToken(models.Model):
    """A personal access token for the REST API (issue 20): one person, one host.

    ``district`` set: good on that district's host only, and only while the person holds a posting
    there; ``district`` empty: a platform staff token, good on the state console only. The token
    itself is shown once; only its SHA-256 is kept (``digest``) with a short prefix to tell tokens
    apart in lists. Made and revoked only through ``tenants.api_tokens``.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        READ_WRITE = "read-write", _("Read and write")

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=80)
    scope = models.CharField(_("scope"), max_length=12, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.READ_WRITE

    def is_usable(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


# Letters between districts: the exchange's public tables live in their own module.
from tenants.models_exchange import ExchangeAttachment, ExchangeMessage, OfficeDirectoryEntry  # noqa: E402,F401
from tenants.models_supervision import SupervisionFigures  # noqa: E402,F401
