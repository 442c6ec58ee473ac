"""Provisioning a planned district from its own page, with its first admin named or made inline
(issue 15, section 6): no retyping on /districts/new/, and platform staff never become its admin."""

import pytest
from django.conf import settings
from django.db import connection
from huey.contrib.djhuey import HUEY

from state_admin.models import AuditEvent
from state_admin.tasks.provisioning import provisioning_progress_get
from tenants.models import District, Domain, PoliceRange, User
from tenants.naming import schema_name_for
from tests.helpers import HostClient, district_remove
from tests.state_admin.conftest import non_staff_clients, refused

SLUG = "sheohar"
NEW_ADMIN = {
    "admin_name": "Ravi Ranjan",
    "admin_name_hi": "रवि रंजन",
    "admin_new_login_id": "ravi.ranjan",
    "admin_mobile": "+91 98765 43210",
    "admin_email": "",
}


def _plan() -> District:
    """A planned district as the state console holds it: names, range and address, no schema."""
    district = District.objects.create(
        slug=SLUG,
        schema_name=schema_name_for(SLUG),
        name="Sheohar",
        name_hi="शिवहर",
        police_range=PoliceRange.objects.get(name="Tirhut"),
    )
    Domain.objects.create(domain=f"{SLUG}.{settings.ROOT_DOMAIN}", tenant=district, is_primary=True)
    return district


@pytest.fixture
def planned(world, db):
    return _plan()


def _post(client, **data):
    return client.post(f"/districts/{SLUG}/provision/", data)


@pytest.mark.django_db
def test_planned_page_offers_provision_now_with_what_the_console_knows(planned, staff_client):
    page = staff_client.get(f"/districts/{SLUG}/")
    assert page.status_code == 200
    assert f'action="/districts/{SLUG}/provision/"' in page.text
    assert "Provision now" in page.text and "शिवहर" in page.text
    # A live district has no such button.
    assert "/provision/" not in staff_client.get("/districts/vaishali/").text


@pytest.mark.django_db
def test_provision_now_is_post_only_and_refuses_non_staff(planned, world):
    staff = HostClient(None)
    staff.sign_in("state.staff")
    assert staff.get(f"/districts/{SLUG}/provision/").status_code == 405
    for who, client in non_staff_clients().items():
        assert refused(client.get(f"/districts/{SLUG}/")), who
        assert refused(_post(client, admin_login_id="no.posting")), who
        assert refused(_post(client, **NEW_ADMIN)), who
    # District people on their own hosts: the state console's pages are not there at all.
    for subdomain, login in (
        ("vaishali", "vaishali.admin"),
        ("vaishali", "sdpo.mahua"),
        ("muzaffarpur", "muzaffarpur.admin"),
    ):
        client = HostClient(subdomain)
        client.sign_in(login)
        for response in (client.get(f"/districts/{SLUG}/"), _post(client, admin_login_id="no.posting")):
            assert response.status_code in (302, 403, 404), login
            assert "/districts/" not in response.get("Location", ""), login
    assert provisioning_progress_get(SLUG) is None
    assert not User.objects.filter(login_id="ravi.ranjan").exists()
    assert not AuditEvent.objects.filter(district_slug=SLUG).exists()


@pytest.mark.django_db
def test_new_admin_errors_come_all_at_once_and_make_nothing(planned, staff_client):
    response = _post(
        staff_client,
        admin_name="रवि",
        admin_name_hi="Ravi",
        admin_new_login_id="sdpo.mahua",
        admin_mobile="12345",
        admin_email="not-an-address",
    )
    assert response.status_code == 400
    errors = response.context["provision_form"].errors
    assert {"admin_name", "admin_name_hi", "admin_new_login_id", "admin_mobile", "admin_email"} <= set(errors)
    assert "taken" in " ".join(errors["admin_new_login_id"])
    assert provisioning_progress_get(SLUG) is None
    assert not AuditEvent.objects.filter(district_slug=SLUG).exists()
    assert District.objects.get(slug=SLUG).status == District.Status.PLANNED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({}, "admin_login_id", "Name the first district admin"),
        ({"admin_login_id": "no.posting", **NEW_ADMIN}, "admin_login_id", "not both"),
        ({"admin_login_id": "nobody.here"}, "admin_login_id", "No account"),
        ({**NEW_ADMIN, "admin_mobile": ""}, "admin_mobile", "mobile number or an e-mail"),
    ],
)
def test_first_admin_must_be_named_once(planned, staff_client, data, field, words):
    response = _post(staff_client, **data)
    assert response.status_code == 400
    errors = response.context["provision_form"].errors
    assert words in " ".join(errors[field]), errors
    assert provisioning_progress_get(SLUG) is None


@pytest.mark.django_db
@pytest.mark.parametrize("login", ["state.staff", "STATE.STAFF"])
def test_platform_staff_cannot_be_made_a_district_admin(planned, staff_client, login):
    response = _post(staff_client, admin_login_id=login)
    assert response.status_code == 400
    assert "Platform staff cannot be a district's admin" in " ".join(
        response.context["provision_form"].errors["admin_login_id"]
    )
    # The /districts/new/ form refuses them too, with the same reason.
    response = staff_client.post(
        "/districts/new/",
        {"name": "Saran", "name_hi": "सारण", "slug": "saran", "new_range": "Saran", "admin_login_id": login},
    )
    assert "Platform staff" in " ".join(response.context["form"].errors["admin_login_id"])
    assert provisioning_progress_get(SLUG) is None and provisioning_progress_get("saran") is None


@pytest.mark.django_db
def test_platform_staff_cannot_be_posted_as_district_admin_by_any_caller(world):
    """The posting service itself refuses, so no other path (a live district's new admin, a
    district admin's own postings page) makes staff an admin."""
    from django.core.exceptions import ValidationError

    from core.org.selectors.postings import district_admin_post
    from core.org.services.postings import posting_start
    from state_admin.services.provisioning import DistrictSpec, district_provision
    from tenants.context import district_context

    with district_context(world.vaishali.schema_name), pytest.raises(ValidationError, match="Platform staff"):
        posting_start(person=world.staff, post=district_admin_post())
    with pytest.raises(ValidationError, match="Platform staff"):
        district_provision(
            spec=DistrictSpec(slug="vaishali", name="Vaishali", admin_login_id="state.staff"),
            use_template=False,
        )
    connection.set_schema_to_public()


@pytest.mark.django_db
def test_only_a_planned_district_is_provisioned_from_its_page(staff_client):
    response = staff_client.post("/districts/vaishali/provision/", {"admin_login_id": "no.posting"})
    assert response.status_code == 302 and response.url == "/districts/vaishali/"
    assert "Only a planned district" in staff_client.get(response.url).text
    assert provisioning_progress_get("vaishali") is None
    assert (
        staff_client.post("/districts/nowhere/provision/", {"admin_login_id": "no.posting"}).status_code
        == 404
    )


@pytest.fixture
def provisioned(world, django_db_blocker):
    with django_db_blocker.unblock():
        _plan()
        yield
        district_remove(SLUG)
        # Its postings went with the schema; the public rows referring to it are gone too.
        User.objects.filter(login_id="ravi.ranjan")._raw_delete(User.objects.db)


def _run_queued_tasks():
    while (task := HUEY.dequeue()) is not None:
        HUEY.execute(task)


def test_provision_now_with_a_new_admin_makes_the_district_and_shows_the_password_once(provisioned):
    staff = HostClient(None)
    staff.sign_in("state.staff")
    response = _post(staff, **NEW_ADMIN)
    assert response.status_code == 302 and response.url == f"/districts/{SLUG}/onboarding/"

    admin = User.objects.get(login_id="ravi.ranjan")
    assert admin.full_name == "Ravi Ranjan" and admin.full_name_hi == "रवि रंजन"
    assert admin.mobile == "9876543210" and admin.must_set_password and not admin.is_staff
    page = staff.get(response.url)
    password = page.context["first_admin"]["password"]
    assert password in page.text and admin.check_password(password)
    assert password not in staff.get(response.url).text  # shown once
    event = AuditEvent.objects.get(action="district.onboard", district_slug=SLUG)
    assert event.details["admin"] == "ravi.ranjan" and event.details["range"] == "Tirhut"
    assert password not in str(event.details)
    assert AuditEvent.objects.filter(action="account.create", target="ravi.ranjan").exists()

    _run_queued_tasks()
    assert staff.get(f"/districts/{SLUG}/provisioning/").json()["state"] == "done"
    district = District.objects.get(slug=SLUG)
    assert district.status == District.Status.LIVE
    assert (district.name, district.name_hi, district.range_name) == ("Sheohar", "शिवहर", "Tirhut")
    detail = staff.get(f"/districts/{SLUG}/")
    assert "Ravi Ranjan" in detail.text and "/provision/" not in detail.text

    # The new admin signs in on the district's host and must set their own password first.
    admin_client = HostClient(SLUG)
    signed_in = admin_client.post("/accounts/login/", {"login": "ravi.ranjan", "password": password})
    assert signed_in.status_code == 302
    assert admin_client.get("/").url.endswith("/accounts/password/change/")
    connection.set_schema_to_public()
