"""Onboarding a district from the state console: check the request, record it, start the work.

The work itself (schema, domain, starting data, first admin, then the chosen office template) runs
in the background (``state_admin.tasks.provisioning``); the onboarding page follows its steps.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from state_admin.models import OfficeTemplate
from state_admin.services.audit import StaffActor, audit_record
from state_admin.services.provisioning import DistrictSpec, district_spec_check
from state_admin.tasks.provisioning import district_provision_enqueue
from tenants.naming import is_devanagari_name, is_latin_name


def district_names_check(*, name: str, name_hi: str) -> None:
    """The English name in Latin letters, the Hindi name in Devanagari; a clear error otherwise."""
    errors = {}
    if not is_latin_name(name):
        errors["name"] = [_("Write the English name in Latin letters, e.g. Vaishali.")]
    if name_hi.strip() and not is_devanagari_name(name_hi):
        errors["name_hi"] = [_("Write the Hindi name in Devanagari, e.g. वैशाली.")]
    if errors:
        raise ValidationError(errors)


def district_onboard(
    *, actor: StaffActor, spec: DistrictSpec, template: OfficeTemplate | None = None
) -> None:
    """Start onboarding a district: refuse bad input with field errors, else audit and enqueue.

    Platform staff only (the views check). The task is enqueued on commit, so a request that
    fails after this call never leaves a task behind.
    """
    district_names_check(name=spec.name, name_hi=spec.name_hi)
    if spec.range_name and not is_latin_name(spec.range_name):
        raise ValidationError({"new_range": [_("Write the range's name in Latin letters, e.g. Tirhut.")]})
    district_spec_check(spec)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="district.onboard",
            district_slug=spec.slug,
            target=spec.name,
            details={
                "name_hi": spec.name_hi,
                "range": spec.range_name,
                "admin": spec.admin_login_id or "",
                "template": template.slug if template else "",
            },
        )
        transaction.on_commit(
            lambda: district_provision_enqueue(
                spec=spec, template_id=template.pk if template else None, actor=actor
            )
        )
