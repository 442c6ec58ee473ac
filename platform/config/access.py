"""Who may enter which host, and what they must do first. Used at login and on every request.

- Root domain (state console): platform staff only.
- A district's host: people with a posting in force in that district, unless its admin has
  deactivated them there (an open ``core.AccessBlock``).
- TOTP is required of platform staff and district admins (``KARYALAY_RELAX_MFA`` relaxes this for
  the local demo only; a system check refuses it with DEBUG off).
"""

from django.conf import settings
from django.utils.translation import gettext as _

from core.models import Post
from core.org.selectors.postings import person_access_here
from core.org.selectors.request_access import request_access


def on_state_console(request) -> bool:
    return not getattr(request.tenant, "slug", "")


def _access(request, user) -> tuple[frozenset[str], bool]:
    # One query per request serves the posting check, the deactivation check and the MFA rule.
    if user.pk != getattr(request.user, "pk", None):  # at sign-in, before the request has the user
        return person_access_here(person_id=user.pk)
    return request_access(request)


def _post_kinds(request, user) -> frozenset[str]:
    return _access(request, user)[0]


def refusal_reason(request, user) -> str | None:
    """Why ``user`` may not use this host, or None when they may."""
    if not user.is_active:
        return _("This account is deactivated.")
    if on_state_console(request):
        if not user.is_staff:
            return _(
                "The state console is for the state IT department. Officers sign in on their "
                "district's address, e.g. vaishali.%(root)s."
            ) % {"root": settings.ROOT_DOMAIN}
        return None
    kinds, blocked = _access(request, user)
    if blocked:
        return _(
            "Your access to %(district)s has been deactivated by its district administrator. "
            "Ask them if you think this is a mistake."
        ) % {"district": request.tenant.name}
    if not kinds:
        return _("You have no posting in %(district)s, so you cannot sign in here.") % {
            "district": request.tenant.name
        }
    return None


def mfa_required(request, user) -> bool:
    if settings.KARYALAY_RELAX_MFA and settings.DEBUG:
        return False
    if on_state_console(request):
        return user.is_staff
    return Post.Kind.DISTRICT_ADMIN in _post_kinds(request, user)


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
