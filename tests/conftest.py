"""Shared fixtures: two districts provisioned once per session, through the real service.

Vaishali (live) and Muzaffarpur (live, for isolation checks), each with an officer (in Vaishali
an SDPO, who supervises, and a clerk, who does not); a platform
staff account; a person with an account and no posting anywhere. Tests run inside a transaction
that is rolled back, on top of these committed rows.
"""

from types import SimpleNamespace

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.db import connection
from django.utils import translation
from huey.contrib.djhuey import HUEY

from core.base.audit import Actor
from core.models import Office, Post
from core.org import services as core_services
from state_admin.services.provisioning import DistrictSpec, district_provision
from tenants.context import district_context
from tenants.hosts import host_cache_clear
from tenants.models import User
from tests.helpers import TOTP_SECRET, HostClient, person_of, sign_in_failures_clear


def _officer(district, *, login_id: str, post_code: str, title: str, kind: str = Post.Kind.SDPO):
    person = person_of(login_id)
    with district_context(district.schema_name):
        office = core_services.office_create(code="sp-office", name="", kind=Office.Kind.SP_OFFICE)
        post = core_services.post_create(office=office, code=post_code, title=title, kind=kind)
        core_services.posting_start(person=person, post=post)
    return person


def _tirhut_district(slug: str, name: str, name_hi: str):
    """A district of the Tirhut range, provisioned, its admin ``<slug>.admin``."""
    return district_provision(
        spec=DistrictSpec(
            slug=slug, name=name, name_hi=name_hi, range_name="Tirhut", admin_login_id=f"{slug}.admin"
        )
    )


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker):
    """Always make the test database, even for a run whose tests only use committed fixtures.

    pytest-django makes it only when a collected test asks for ``db``; a run of, say, the browser
    tests alone would otherwise write the session's districts into the real database.
    """
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        config = setup_databases(
            verbosity=request.config.option.verbose, interactive=False, aliases={"default"}
        )
    yield
    with django_db_blocker.unblock():
        connection.close()
        teardown_databases(config, verbosity=request.config.option.verbose)


@pytest.fixture(scope="session")
def world(django_db_setup, django_db_blocker):
    assert connection.settings_dict["NAME"].startswith("test_"), "refusing to seed a non-test database"
    with django_db_blocker.unblock():
        staff = person_of("state.staff", is_staff=True)
        TOTP.activate(staff, TOTP_SECRET)  # a fresh test database: no authenticator yet
        TOTP.activate(person_of("vaishali.admin"), TOTP_SECRET)
        person_of("muzaffarpur.admin")
        vaishali = _tirhut_district("vaishali", "Vaishali", "वैशाली")
        muzaffarpur = _tirhut_district("muzaffarpur", "Muzaffarpur", "मुज़फ़्फ़रपुर")
        vaishali_officer = _officer(
            vaishali, login_id="sdpo.mahua", post_code="sdpo-mahua", title="SDPO Mahua"
        )
        # An officer who supervises no one: a clerk of the SP office.
        vaishali_clerk = _officer(
            vaishali, login_id="clerk.vaishali", post_code="sp-clerk", title="Clerk", kind=Post.Kind.CLERK
        )
        muzaffarpur_officer = _officer(
            muzaffarpur, login_id="sdpo.east", post_code="sdpo-east", title="SDPO East"
        )
        unposted = person_of("no.posting")
        connection.set_schema_to_public()
        person_ids = list(User.objects.values_list("pk", flat=True))
    return SimpleNamespace(
        staff=staff,
        vaishali=vaishali,
        muzaffarpur=muzaffarpur,
        vaishali_officer=vaishali_officer,
        vaishali_clerk=vaishali_clerk,
        muzaffarpur_officer=muzaffarpur_officer,
        unposted=unposted,
        person_ids=person_ids,
    )


@pytest.fixture(autouse=True)
def _clean_slate():
    """Every test starts on the public schema with an empty host cache (rolled-back rows stay gone),
    in the site's default language, with nothing left in this run's task queue."""
    connection.set_schema_to_public()
    host_cache_clear()
    yield
    connection.set_schema_to_public()
    host_cache_clear()
    # A request in Hindi leaves Hindi active in this thread; the next test's messages must not be.
    translation.activate(settings.LANGUAGE_CODE)
    # Tasks a test enqueued (e-mails on commit, say) are that test's: a later test's consumer must
    # not find them, for districts that no longer exist. The queue's name is this run's own.
    HUEY.flush()


@pytest.fixture(autouse=True)
def _sign_in_failures_cleared(request):
    """Failed sign-ins count against an account on every host for 15 minutes, in the cache: a
    test that is refused as one of the session's people must not lock them out of the next test."""
    yield
    # The session's people, known without a query: a browser test's teardown runs beside
    # Playwright's event loop, where Django refuses database work. People a test makes itself
    # are rolled back with it and never signed in as again.
    if "world" in request.fixturenames:
        sign_in_failures_clear(request.getfixturevalue("world").person_ids)


@pytest.fixture(autouse=True, scope="session")
def _every_response_carries_the_security_headers():
    """Every page any test fetches is checked for the Content-Security-Policy, and for
    ``no-store`` when it is served to a signed-in person (tests/security_headers.py)."""
    from tests import security_headers

    uninstall = security_headers.install()
    yield
    uninstall()


@pytest.fixture
def vaishali_client(world, db):
    return HostClient("vaishali")


@pytest.fixture
def muzaffarpur_client(world, db):
    return HostClient("muzaffarpur")


@pytest.fixture
def state_client(world, db):
    return HostClient(None)


@pytest.fixture
def actor(world):
    """Vaishali's district admin, as the actor of the services a test calls."""
    return Actor(person=User.objects.get(login_id="vaishali.admin"))
