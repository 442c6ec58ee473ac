"""Onboarding a district from /districts/new/ with its first admin made inline (issue 15, section
6): a person with no account yet becomes the district's first admin without a detour through the
officer import, with every error shown at once and nothing made when any is found."""

import pytest
from django.db import connection
from huey.contrib.djhuey import HUEY

from state_admin.models import AuditEvent
from state_admin.tasks.provisioning import provisioning_progress_get
from tenants.models import District, User
from tests.helpers import HostClient, district_remove
from tests.state_admin.conftest import non_staff_clients, refused

DISTRICT = {"name": "Sheohar", "name_hi": "शिवहर", "slug": "sheohar", "new_range": "Tirhut"}
NEW_ADMIN = {
    "admin_name": "Ravi Ranjan",
    "admin_name_hi": "रवि रंजन",
    "admin_new_login_id": "ravi.ranjan",
    "admin_mobile": "98765 43210",
    "admin_email": "",
}


def _post_new(client, **data):
    return client.post("/districts/new/", {**DISTRICT, **NEW_ADMIN, **data})


def _nothing_made():
    assert not User.objects.filter(login_id="ravi.ranjan").exists()
    assert not District.objects.filter(slug="sheohar").exists()
    assert not AuditEvent.objects.filter(district_slug="sheohar").exists()
    assert provisioning_progress_get("sheohar") is None


@pytest.mark.django_db
def test_the_form_offers_an_existing_account_or_a_new_one(staff_client):
    page = staff_client.get("/districts/new/")
    assert page.status_code == 200
    for name in ("admin_login_id", "admin_name", "admin_name_hi", "admin_new_login_id", "admin_mobile"):
        assert f'name="{name}"' in page.text
    assert "First district admin" in page.text


@pytest.mark.django_db
def test_every_error_of_the_district_and_the_new_admin_comes_at_once_and_nothing_is_made(staff_client):
    response = _post_new(
        staff_client,
        slug="vaishali",  # already used
        name_hi="Sheohar",  # not Devanagari
        admin_name="रवि",
        admin_new_login_id="sdpo.mahua",  # taken
        admin_mobile="12345",
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"slug", "name_hi", "admin_name", "admin_new_login_id", "admin_mobile"} <= set(errors), errors
    assert "already used" in " ".join(errors["slug"])
    assert "taken" in " ".join(errors["admin_new_login_id"])
    _nothing_made()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({key: "" for key in NEW_ADMIN}, "admin_login_id", "Name the first district admin"),
        ({"admin_login_id": "no.posting"}, "admin_login_id", "not both"),
        ({"admin_mobile": ""}, "admin_mobile", "mobile number or an e-mail"),
        ({"admin_email": "not-an-address"}, "admin_email", "e-mail"),
    ],
)
def test_the_first_admin_is_named_once_and_reachable(staff_client, data, field, words):
    response = _post_new(staff_client, **data)
    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors[field]), response.context["form"].errors
    _nothing_made()


@pytest.mark.django_db
def test_no_one_but_platform_staff_makes_an_account_here(world):
    for who, client in non_staff_clients().items():
        assert refused(_post_new(client)), who
    for subdomain, login in (("vaishali", "vaishali.admin"), ("muzaffarpur", "muzaffarpur.admin")):
        client = HostClient(subdomain)
        client.sign_in(login)
        response = _post_new(client)
        assert response.status_code in (302, 403, 404), login
        assert "/districts/" not in response.get("Location", ""), login
    _nothing_made()


@pytest.fixture
def onboarded(world, django_db_blocker):
    with django_db_blocker.unblock():
        yield
        district_remove("sheohar")
        User.objects.filter(login_id="ravi.ranjan")._raw_delete(User.objects.db)
        from django.core.cache import cache

        cache.delete("state:provisioning:sheohar")


def test_a_new_district_and_its_new_admin_who_sets_a_password_at_first_sign_in(onboarded):
    staff = HostClient(None)
    staff.sign_in("state.staff")
    response = _post_new(staff)
    assert response.status_code == 302 and response.url == "/districts/sheohar/onboarding/"

    admin = User.objects.get(login_id="ravi.ranjan")
    assert (admin.full_name, admin.full_name_hi, admin.mobile) == ("Ravi Ranjan", "रवि रंजन", "9876543210")
    assert admin.must_set_password and not admin.is_staff
    page = staff.get(response.url)
    password = page.context["first_admin"]["password"]
    assert password in page.text and admin.check_password(password)
    assert password not in staff.get(response.url).text  # shown once
    event = AuditEvent.objects.get(action="district.onboard", district_slug="sheohar")
    assert event.details["admin"] == "ravi.ranjan" and password not in str(event.details)
    assert AuditEvent.objects.filter(action="account.create", target="ravi.ranjan").exists()

    while (task := HUEY.dequeue()) is not None:
        HUEY.execute(task)
    assert District.objects.get(slug="sheohar").status == District.Status.LIVE

    admin_client = HostClient("sheohar")
    assert (
        admin_client.post("/accounts/login/", {"login": "ravi.ranjan", "password": password}).status_code
        == 302
    )
    assert admin_client.get("/").url.endswith("/accounts/password/change/")
    # The new admin's password is the district's only: another district's host refuses it.
    other = HostClient("vaishali")
    refused_page = other.post("/accounts/login/", {"login": "ravi.ranjan", "password": password})
    assert refused_page.status_code == 200
    connection.set_schema_to_public()
