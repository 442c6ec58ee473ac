"""Keep the host cache and the session's host binding in step with changes."""

from allauth.account.signals import password_changed, password_reset
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tenants.hosts import host_cache_clear
from tenants.models import District, Domain
from tenants.sessions import SESSION_HOST_KEY


@receiver([post_save, post_delete], sender=District)
@receiver([post_save, post_delete], sender=Domain)
def _clear_host_cache(**kwargs) -> None:
    # Now, and again once the change is visible to everyone (or rolled back).
    host_cache_clear()
    transaction.on_commit(host_cache_clear)


@receiver(user_logged_in)
def _bind_session_to_host(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_HOST_KEY] = request.get_host()


@receiver(password_changed)
@receiver(password_reset)
def _clear_must_set_password(sender, request, user, **kwargs) -> None:
    if user.must_set_password:
        user.must_set_password = False
        user.save(update_fields=["must_set_password"])
