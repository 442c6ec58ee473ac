"""Test helpers: a client that speaks to one host, and real sign-ins through allauth."""

import contextlib
import io
import itertools
import time
import uuid
from urllib.parse import quote

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client

from tenants.services import person_get_or_create

PASSWORD = "test-password-1234"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"
NEW_PASSWORD = "a-new-passphrase-2025"  # one an officer sets through an emailed link
_addresses = itertools.count(1)


def person_of(login_id: str, **extra):
    """The person signing in as ``login_id`` (made if new): a full name made of the login, an
    address at example.org, the tests' password, no new password asked for."""
    person, _created = person_get_or_create(
        login_id=login_id,
        full_name=login_id.replace(".", " ").title(),
        email=f"{login_id}@example.org",
        password=PASSWORD,
        must_set_password=False,
        **extra,
    )
    return person


def host_for(subdomain: str | None) -> str:
    return f"{subdomain}.{settings.ROOT_DOMAIN}" if subdomain else settings.ROOT_DOMAIN


def totp_now(secret: str = TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def totp_fresh(user_pk: int, secret: str = TOTP_SECRET, *, margin: float = 5.0) -> str:
    """A code that allauth will take: one with ``margin`` seconds of its period left (a slow page
    must not carry it into the next period), and not yet marked used for this user (allauth
    refuses a code twice within its period; tests sign in more often than people do)."""
    left = 30 - time.time() % 30
    if left < margin:
        time.sleep(left + 0.05)
    code = totp_now(secret)
    cache.delete(f"allauth.mfa.totp.used?user={user_pk}&code={code}")
    return code


class HostClient(Client):
    """A test client bound to one host: ``HostClient("vaishali")`` or ``HostClient(None)`` for the root.

    Each client comes from its own address, so allauth's per-address rate limits never make one
    test depend on another.
    """

    def __init__(self, subdomain: str | None = None, *, host: str | None = None, **defaults):
        n = next(_addresses)
        defaults.setdefault("REMOTE_ADDR", f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}")
        super().__init__(HTTP_HOST=host or host_for(subdomain), **defaults)

    def sign_in(self, login: str, password: str = PASSWORD):
        """Sign in through allauth's pages, answering the TOTP step when the account has one."""
        response = self.post("/accounts/login/", {"login": login, "password": password})
        if response.status_code == 302 and "/2fa/authenticate" in response.url:
            from tenants.models import User

            user = User.objects.get(login_id=login) if "@" not in login else User.objects.get(email=login)
            code = totp_fresh(user.pk)
            response = self.post(response.url, {"code": code})
            cache.delete(f"allauth.mfa.totp.used?user={user.pk}&code={code}")
        return response


# The answer to any sign-in that does not happen: a wrong password, an unknown login, or a right
# password from someone who may not use the host (config.sign_in). allauth words it after what
# was typed: a login ID or an e-mail address.
SIGN_IN_FAILED = "The username and/or password you specified are not correct."
SIGN_IN_FAILED_BY_EMAIL = "The email address and/or password you specified are not correct."


def password_set_by_link(client, link: str, password: str = NEW_PASSWORD):
    """``password`` set on the form that the emailed ``link`` leads to (through its redirect, if
    any): the form's answer."""
    form = client.get(link, follow=True)
    assert form.status_code == 200
    return client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"password1": password, "password2": password},
    )


def sign_in_refused(response) -> bool:
    """The sign-in form again with the wrong-password error: what every refused sign-in gets."""
    text = response.content.decode()
    return response.status_code == 200 and (SIGN_IN_FAILED in text or SIGN_IN_FAILED_BY_EMAIL in text)


def sign_in_failures_clear(person_ids) -> None:
    """Forget the failed sign-ins counted against these accounts (password and TOTP), which live
    in the cache for 15 minutes on every host and no test transaction rolls back."""
    from allauth.core.internal.ratelimit import get_cache_key, get_rates

    rates = [rate for rate in get_rates(app="allauth.account", action="login_failed") if rate.per == "key"]
    cache.delete_many(
        [
            get_cache_key(None, app="allauth.account", action="login_failed", rate=rate, key=key)
            for rate in rates
            for pk in person_ids
            for key in (f"account:{pk}", f"mfa-auth-user-{pk}")
        ]
    )


def verify_audit(*args) -> tuple[str, int]:
    """``manage.py verify_audit *args``: what it printed and its exit status."""
    from django.core.management import CommandError, call_command

    out = io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error.returncode
    return out.getvalue(), 0


@contextlib.contextmanager
def empty_database(label: str):
    """A new empty database on the test database's server (named after it, ``label`` and a random
    tail), dropped afterwards: yields its URL and its connection parameters for psycopg."""
    import psycopg
    from psycopg import sql

    name = f"{connection.settings_dict['NAME']}_{label}_{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    params = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"] or None,
              "password": db["PASSWORD"] or None}  # fmt: skip
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(sql.Identifier(name))
        )
    try:
        yield database_url_of_test_db().rsplit("/", 1)[0] + "/" + name, params | {"dbname": name}
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def database_url_of_test_db() -> str:
    """DATABASE_URL of the test database, for a server or consumer process started by a test."""
    db = connection.settings_dict
    host = quote(db["HOST"] or "127.0.0.1", safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgresql://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}@{host}{port}/{db['NAME']}"


def next_id_in_both_districts(table: str) -> int:
    """Move the id sequence of ``table`` (``"core_case"``) in Vaishali and in Muzaffarpur on to the
    same next value, only ever forward (no id is given twice), and return it: the next row made in
    each district gets that id, for tests that an id of one district reaches nothing in another."""
    from tenants.context import district_context

    districts = ("vaishali", "muzaffarpur")
    last = []
    for district in districts:
        with district_context(district), connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            (sequence,) = cursor.fetchone()
            cursor.execute(f"SELECT last_value FROM {sequence}")
            last.append(cursor.fetchone()[0])
    next_id = max(last) + 1
    for district in districts:
        with district_context(district), connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)", [table, next_id])
    return next_id


def _schema_drop_retrying(schema_name: str, attempts: int = 5) -> None:
    """Drop a schema, again if PostgreSQL chose the drop as a deadlock's victim: a request the
    browser still had in flight, or a task on an uploaded paper, may be reading the schema's
    tables in another order while the drop takes them one by one."""
    from django.db import OperationalError, transaction
    from psycopg import errors

    from tenants import schemas

    for attempt in range(attempts):
        try:
            with transaction.atomic():
                schemas.schema_drop(schema_name)
            return
        except OperationalError as error:
            if not isinstance(error.__cause__, errors.DeadlockDetected) or attempt == attempts - 1:
                raise
            time.sleep(0.5 * (attempt + 1))


def district_remove(slug: str) -> None:
    """Undo a district a test provisioned for real (committed): its schema, memberships, domains,
    row, the staff audit events naming it and its provisioning progress. Runs on the public schema."""
    from django.db import connection as db

    from state_admin.models import AuditEvent as StaffAuditEvent
    from tenants.models import District, DistrictMembership

    db.set_schema_to_public()
    for district in District.objects.filter(slug=slug):
        _schema_drop_retrying(district.schema_name)
        DistrictMembership.objects.filter(district=district).delete()
        district.domains.all().delete()
        district.delete()
    StaffAuditEvent.objects.filter(district_slug=slug).delete()
    cache.delete(f"state:provisioning:{slug}")
