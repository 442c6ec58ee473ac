"""Sign-ins to the state console go into the platform audit log, failed ones too."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from state_admin.services.audit import StaffActor, audit_record
from tenants.models import User


def _on_state_console(request) -> bool:
    return request is not None and not getattr(getattr(request, "tenant", None), "slug", "")


@receiver(user_logged_in, dispatch_uid="state_admin_sign_in_audit")
def staff_signed_in(sender, request, user, **kwargs) -> None:
    if user.is_staff and _on_state_console(request):
        with transaction.atomic():
            audit_record(
                actor=StaffActor.from_request(request), action="account.sign_in", target=user.login_id
            )


@receiver(user_login_failed, dispatch_uid="state_admin_sign_in_failed_audit")
def staff_sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    if not _on_state_console(request):
        return
    login = str(credentials.get("login_id") or credentials.get("username") or credentials.get("email") or "")
    user = (
        User.objects.filter(login_id=login.lower()).first()
        or User.objects.filter(email__iexact=login).first()
    )
    if user is not None and user.is_staff:
        # Only staff accounts: a failed attempt on anyone else's name is allauth's rate limit's business.
        with transaction.atomic():
            audit_record(
                actor=StaffActor.from_request(request, user=user),
                action="account.sign_in_failed",
                target=user.login_id,
            )
