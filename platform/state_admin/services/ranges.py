"""Police ranges: groups of districts, each a unit of rollout."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from state_admin.services.audit import StaffActor, audit_record
from state_admin.services.onboarding import district_names_check
from tenants.models import PoliceRange


@transaction.atomic
def police_range_create(*, actor: StaffActor, name: str, name_hi: str = "") -> PoliceRange:
    """Add a range (platform staff). A name already taken, in any case, is refused."""
    name, name_hi = name.strip(), name_hi.strip()
    district_names_check(name=name, name_hi=name_hi)
    if PoliceRange.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": [_("There is already a range called %(name)s.") % {"name": name}]})
    police_range = PoliceRange.objects.create(name=name, name_hi=name_hi)
    audit_record(actor=actor, action="range.create", target=name, details={"name_hi": name_hi})
    return police_range
