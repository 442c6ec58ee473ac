"""How a district's officers sign in: password (and TOTP) or the state's single sign-on only.

``District.sso_required`` switches the password path off on the district's host (config.sso): the
sign-in page shows the SSO button alone and a password is refused. The state console always keeps
its password and TOTP path. Only platform staff call this (the state console's district page).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from state_admin.services.audit import StaffActor, audit_record
from tenants.context import public_context
from tenants.models import District


def sso_configured() -> bool:
    """The deployment has a state identity provider (``KARYALAY_OIDC_*``)."""
    return bool(settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS"))


@transaction.atomic
def district_sso_require(*, actor: StaffActor, district: District, required: bool) -> District:
    """Require single sign-on in ``district`` (``required``), or accept passwords again; audited.

    Raises ValidationError when SSO is to be required on a deployment that has none configured
    (its officers could then not sign in at all).
    """
    if required and not sso_configured():
        raise ValidationError(
            _("Single sign-on is not configured on this server (KARYALAY_OIDC_*), so it cannot be required."),
            code="sso_not_configured",
        )
    with public_context():  # District rows are saved from the public schema only
        locked = District.objects.select_for_update().get(pk=district.pk)
        if locked.sso_required == required:
            return locked
        locked.sso_required = required
        # save() fires the signal that clears the host cache, so the sign-in page follows at once.
        locked.save(update_fields=["sso_required", "updated_at"])
        audit_record(
            actor=actor,
            action="district.sso_required" if required else "district.sso_optional",
            district=locked,
            target=locked.name,
            details={"sso_required": required},
        )
    return locked
