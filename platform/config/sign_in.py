"""The password check at sign-in: one answer for every way a sign-in may not happen here.

A right password from someone who may not use this host (no posting in this district, not staff
on the state console, deactivated here or everywhere) is answered exactly as a wrong one: the
same form error, status and page, and it counts as a failed attempt. Otherwise the sign-in page of
any district would tell an attacker whether a guessed password was right.

Every attempt costs the same work whatever its outcome, so the answer's timing tells nothing
either: one look-up of the account, one password hash (a dummy one for an unknown login, as
Django does), one check of access to this host. Django's and allauth's backends hash once or
twice depending on which of them finds the account, so sign-in does not go through them.

Failures are counted per account (login ID and e-mail address are one account, not two counts)
and per address, on every host alike (``tenants.cache`` keeps these keys out of any schema).
"""

from django.contrib.auth import user_login_failed
from django.db.models import Q
from django.views.decorators.debug import sensitive_variables

from config.access import refusal_reason
from tenants.models import User


def account_for(credentials: dict) -> User | None:
    """The account that ``credentials`` name (by login ID or e-mail), or None."""
    username = (credentials.get("username") or "").strip()
    email = (credentials.get("email") or "").strip()
    query = Q(pk__in=[])
    if username:
        query |= Q(login_id=username.lower())
    if email:
        query |= Q(email__iexact=email)
    candidates = list(User.objects.filter(query)[:2])
    # A login ID matched as typed wins over someone else's e-mail address, as in allauth.
    by_login_id = [user for user in candidates if username and user.login_id == username.lower()]
    return (by_login_id or candidates or [None])[0]


def attempts_key(credentials: dict) -> str:
    """The key allauth's per-account failure limit counts under: the account when there is one,
    else the text typed (so an unknown login is limited alike and tells nothing)."""
    account = account_for(credentials)
    if account is not None:
        return f"account:{account.pk}"
    typed = credentials.get("username") or credentials.get("email") or ""
    return f"login:{typed.strip().lower()}"


@sensitive_variables("credentials", "password")
def sign_in_check(request, credentials: dict) -> User | None:
    """The account when the password is right and its holder may use this host; else None."""
    password = credentials.get("password") or ""
    account = account_for(credentials)
    if account is None:
        User().set_password(password)  # the hash a known account would have cost
        password_ok = False
    else:
        password_ok = account.check_password(password)
    # Asked whatever the password was, so a right one costs no more time than a wrong one.
    # (An unknown login is asked about an id no account has.)
    refused = refusal_reason(request, account if account is not None else User(pk=0)) is not None
    if password_ok and not refused:
        return account
    user_login_failed.send(
        sender=__name__,
        credentials={key: value for key, value in credentials.items() if key != "password"},
        request=request,
    )
    return None
