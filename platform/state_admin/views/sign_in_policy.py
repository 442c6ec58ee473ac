"""The district page's sign-in setting: passwords allowed, or single sign-on only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from state_admin.services.sign_in_policy import district_sso_require
from state_admin.views.common import actor_of, staff_required
from tenants.models import District


@staff_required
@require_POST
def district_sign_in_policy(request, slug: str):
    district = get_object_or_404(District, slug=slug)
    choice = request.POST.get("sso_required")
    if choice not in ("0", "1"):
        messages.error(request, _("Choose how the district's officers sign in."))
        return redirect("state_district", slug=district.slug)
    try:
        district = district_sso_require(actor=actor_of(request), district=district, required=choice == "1")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if district.sso_required:
            messages.success(
                request, _("%(name)s now signs in only through single sign-on.") % {"name": district.name}
            )
        else:
            messages.success(request, _("%(name)s accepts passwords again.") % {"name": district.name})
    return redirect("state_district", slug=district.slug)
