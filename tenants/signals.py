"""Keep the host cache and the session's host binding in step with changes, and refuse to delete
an account that district rows name."""

from allauth.account.signals import password_changed, password_reset
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models import ProtectedError
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils.translation import ngettext

from tenants.account_references import account_naming_schemas
from tenants.hosts import host_cache_clear
from tenants.models import District, Domain, User
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


@receiver(pre_delete, sender=User)
def account_delete_refuse_if_named(sender, instance, **kwargs) -> None:
    """District rows name accounts with no database foreign key (core.0027); this keeps the rule
    the keys kept, in every schema at once: an account still named anywhere is not deleted
    (deactivate it instead). A signal, not a service, because a deletion can come from any
    queryset or instance; every one sends this before it deletes anything."""
    schemas = account_naming_schemas(instance.pk)
    if schemas:
        message = ngettext(
            "The account %(login)s is named in the records of %(count)d district and cannot be "
            "deleted; deactivate it instead.",
            "The account %(login)s is named in the records of %(count)d districts and cannot be "
            "deleted; deactivate it instead.",
            len(schemas),
        ) % {"login": instance.login_id, "count": len(schemas)}
        raise ProtectedError(message, {instance})
