"""Onboarding a district: schema, domain, starting data and first district admin, all or nothing.

Orchestrated here because it spans layers: ``tenants`` makes the schema and the domain, ``core``
says what a new district starts with. Everything after the template check runs in one database
transaction (PostgreSQL DDL is transactional), so a failure at any step leaves no schema, no
District row and no Domain row; running it again does the whole job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.org import services as core_services
from core.org.selectors.postings import district_admin_post
from core.org.services.postings import staff_admin_refusal
from core.supervision.seed import supervising_office_seed
from tenants import schemas
from tenants.context import district_context
from tenants.models import District, Domain, User
from tenants.naming import schema_name_for, slug_validate
from tenants.roles import owner_connection, schema_privileges_apply
from tenants.services import police_range_get_or_create

logger = logging.getLogger(__name__)

STEPS = ("check", "template", "schema", "clone", "domain", "seed", "admin", "live")
# What the progress page and the state API say of each step (with the task's "queued", the
# template's "offices" and "done").
STEP_LABELS = {
    "queued": gettext_lazy("Waiting for a worker"),
    "check": gettext_lazy("Checking the request"),
    "template": gettext_lazy("Preparing the district template"),
    "schema": gettext_lazy("Creating the district's database schema"),
    "clone": gettext_lazy("Copying the tables"),
    "domain": gettext_lazy("Setting up the district's address"),
    "seed": gettext_lazy("Creating the SP office"),
    "admin": gettext_lazy("Posting the first district admin"),
    "live": gettext_lazy("Opening the district"),
    "offices": gettext_lazy("Creating offices and posts from the template"),
    "done": gettext_lazy("Done"),
}


Progress = Callable[[str, int, int], None]


class ProvisioningError(Exception):
    """Provisioning stopped; nothing was left behind. ``step`` names where it stopped."""

    def __init__(self, message: str, *, step: str):
        super().__init__(message)
        self.step = step


@dataclass(frozen=True)
class DistrictSpec:
    slug: str
    name: str
    name_hi: str = ""
    range_name: str = ""
    admin_login_id: str | None = None
    # A district, or a range office / headquarters (issue 22.2): District.Kind.
    kind: str = "district"


def district_spec_check(spec: DistrictSpec) -> None:
    """Refuse a bad request with a clear message before any SQL that changes anything."""
    _spec_check(spec)


def _spec_check(spec: DistrictSpec) -> District | None:
    """``district_spec_check``; returns the district already made with this slug, if any. What
    it reads of the database is one statement (the District row of the slug, whether another
    row has its schema name, whether such a schema exists), one more where the district exists."""
    errors: dict[str, list] = {}
    try:
        slug_validate(spec.slug)
    except ValidationError as exc:
        errors["slug"] = exc.messages
    if not spec.name.strip():
        errors["name"] = [_("Give the district's name in English.")]
    if errors:
        raise ValidationError(errors)
    schema = schema_name_for(spec.slug)
    table = connection.ops.quote_name(District._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT id FROM {table} WHERE slug = %s), "  # noqa: S608 (the model's table)
            f"EXISTS (SELECT 1 FROM {table} WHERE schema_name = %s), "
            "EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = %s)",
            [spec.slug, schema, schema],
        )
        existing_id, schema_used, schema_made = cursor.fetchone()
    existing = District.objects.get(pk=existing_id) if existing_id is not None else None
    if existing is not None and existing.name != spec.name.strip():
        raise ValidationError(
            {
                "slug": [
                    _("The slug “%(slug)s” is already used by %(name)s.")
                    % {"slug": spec.slug, "name": existing.name}
                ]
            }
        )
    if existing is None and schema_used:
        raise ValidationError({"slug": [_("Another district already uses this slug's schema.")]})
    if existing is None and schema_made:
        raise ValidationError({"slug": [_("A database schema with this name already exists.")]})
    if spec.admin_login_id:
        admin = User.objects.filter(login_id=spec.admin_login_id.strip().lower()).first()
        if admin is None:
            raise ValidationError(
                {"admin": [_("No account has the login ID “%(login)s”.") % {"login": spec.admin_login_id}]}
            )
        if admin.is_staff or admin.is_superuser:
            raise ValidationError({"admin": [staff_admin_refusal()]})
    return existing


def district_provision(
    *, spec: DistrictSpec, progress: Progress | None = None, use_template: bool = True
) -> District:
    """Create the district's schema, domain, starting data and first admin; all or nothing.

    Idempotent: a district that is already provisioned is returned as it is (its admin posting is
    added if a new admin is named); a planned district (a row with no schema) is provisioned.
    Raises ValidationError for bad input, ProvisioningError when a step fails.

    Runs as the database's owner role (``KARYALAY_OWNER_DATABASE_URL``, tenants/roles.py) on this
    thread, so the web's and worker's role never owns a district's tables; the new schema's rights
    for that role, with its audit table append-only, are given in the same transaction. Call it
    outside a transaction where an owner role is configured (it reconnects).
    """
    with owner_connection():
        return _provision(spec=spec, progress=progress, use_template=use_template)


def _provision(*, spec: DistrictSpec, progress: Progress | None, use_template: bool) -> District:
    report = progress or (lambda step, done, total: None)
    report("check", 1, len(STEPS))
    existing = _spec_check(spec)
    if existing is not None and existing.status not in (
        District.Status.PLANNED,
        District.Status.PROVISIONING,
    ):
        if spec.admin_login_id:
            _give_admin_posting(existing, spec.admin_login_id)
        report("live", len(STEPS), len(STEPS))
        return existing

    step = "template"
    try:
        report(step, 2, len(STEPS))
        version = schemas.template_ensure_current() if use_template else None
        with transaction.atomic():
            step = "schema"
            report(step, 3, len(STEPS))
            district = _step_district_row(spec, existing)
            from_spare = _step_schema(district, version=version)
            step = "clone"
            report(step, 4, len(STEPS))
            if not from_spare:
                _step_clone(district, use_template=use_template)
            step = "domain"
            report(step, 5, len(STEPS))
            _step_domain(district, new=existing is None)
            step = "seed"
            report(step, 6, len(STEPS))
            _step_seed(district)
            step = "admin"
            report(step, 7, len(STEPS))
            if spec.admin_login_id:
                _give_admin_posting(district, spec.admin_login_id)
            step = "live"
            district.status = District.Status.LIVE
            district.save(update_fields=["status", "updated_at"])
    except ValidationError:
        raise
    except Exception as exc:
        logger.exception("Provisioning %s failed at step %s", spec.slug, step)
        raise ProvisioningError(
            _("Provisioning “%(slug)s” failed at step “%(step)s”: %(error)s. Nothing was kept; run it again.")
            % {"slug": spec.slug, "step": step, "error": exc},
            step=step,
        ) from exc
    report("live", len(STEPS), len(STEPS))
    return district


def _step_district_row(spec: DistrictSpec, existing: District | None) -> District:
    district = existing or District(slug=spec.slug, schema_name=schema_name_for(spec.slug))
    district.name = spec.name.strip()
    district.name_hi = spec.name_hi.strip()
    district.police_range = (
        police_range_get_or_create(name=spec.range_name) if spec.range_name.strip() else None
    )
    district.kind = spec.kind
    district.status = District.Status.PROVISIONING
    district.save()
    return district


def _step_schema(district: District, *, version: str | None) -> bool:
    """The district's schema: a spare clone of the template at ``version`` renamed (True:
    nothing left to clone, rights given), else a new empty one (also without the template)."""
    if version is not None and schemas.spare_take(district.schema_name, version=version):
        return True
    schemas.schema_create(district.schema_name)
    return False


def _step_clone(district: District, *, use_template: bool) -> None:
    if use_template:
        schemas.schema_clone_template(district.schema_name)
    else:
        schemas.schema_migrate(district.schema_name)
    schema_privileges_apply(district.schema_name)


def _step_domain(district: District, *, new: bool) -> None:
    """The district's primary domain. A district row made by this provisioning has no domain yet,
    so one INSERT does (a name someone already holds is left as it is, as get_or_create leaves
    it); a planned district's row may have one: ``Domain.save``'s primary-domain rule applies."""
    domain = f"{district.slug}.{settings.ROOT_DOMAIN}"
    if new:
        Domain.objects.bulk_create(
            [Domain(domain=domain, tenant=district, is_primary=True)], ignore_conflicts=True
        )
        return
    Domain.objects.get_or_create(domain=domain, defaults={"tenant": district, "is_primary": True})


def _step_seed(district: District) -> None:
    with district_context(district):
        core_services.district_seed(name=district.name, name_hi=district.name_hi)
        if district.kind != District.Kind.DISTRICT:
            supervising_office_seed(kind=district.kind, name=district.name, name_hi=district.name_hi)


def _give_admin_posting(district: District, login_id: str) -> None:
    person = User.objects.get(login_id=login_id.lower())
    with district_context(district.schema_name):
        core_services.posting_start(person=person, post=district_admin_post())
