"""The districts list, a district's page and the police ranges, for the state IT department."""

import pytest

from state_admin.models import AuditEvent, DistrictRollup
from tenants.models import PoliceRange, User
from tests.state_admin.conftest import non_staff_clients, refused

pytestmark = pytest.mark.django_db

PAGES = ["/districts/", "/districts/vaishali/", "/ranges/", "/districts/new/"]


def test_only_platform_staff_see_the_district_pages(world):
    for who, client in non_staff_clients().items():
        for url in PAGES:
            assert refused(client.get(url)), (who, url)
        assert refused(client.post("/ranges/new/", {"name": "Saran"})), who
    assert not PoliceRange.objects.filter(name="Saran").exists()


def test_district_pages_are_not_on_a_district_host(world, vaishali_client):
    vaishali_client.sign_in("vaishali.admin")
    for url in ["/districts/", "/districts/vaishali/", "/ranges/", "/audit/"]:
        assert vaishali_client.get(url).status_code == 404, url


def test_list_shows_districts_with_range_status_and_rollup_figures(staff_client, world):
    DistrictRollup.objects.update_or_create(
        district=world.vaishali,
        defaults={
            "offices_total": 5,
            "offices_live": 3,
            "offices_not_ready": 2,
            "officers_posted": 9,
            "current_phase": 1,
        },
    )
    response = staff_client.get("/districts/")
    assert response.status_code == 200
    text = response.text
    assert "Vaishali" in text and "वैशाली" in text and "Muzaffarpur" in text and "Tirhut" in text
    assert "3 / 5" in text


def test_list_filters_by_range_and_status(staff_client, world):
    saran = PoliceRange.objects.create(name="Saran")
    response = staff_client.get("/districts/", {"police_range": saran.pk})
    assert list(response.context["districts"]) == []
    tirhut = PoliceRange.objects.get(name="Tirhut")
    names = [
        d.name
        for d in staff_client.get("/districts/", {"police_range": tirhut.pk, "status": "live"}).context[
            "districts"
        ]
    ]
    assert names == ["Muzaffarpur", "Vaishali"]


def test_district_page_shows_admins_offices_and_readiness(staff_client, world):
    response = staff_client.get("/districts/vaishali/")
    assert response.status_code == 200
    text = response.text
    assert "vaishali.localhost" in text or "vaishali." in text
    assert "vaishali.admin" in text  # the district admin's login ID
    assert "SP Office" in text or "SDPO" in text
    inside = response.context["inside"]
    assert any(rows for rows in inside.offices_by_phase.values())


def test_district_page_of_an_unknown_district_is_not_found(staff_client):
    assert staff_client.get("/districts/nowhere/").status_code == 404


def test_adding_a_range_is_audited_and_a_duplicate_is_refused(staff_client):
    response = staff_client.post("/ranges/new/", {"name": "Saran", "name_hi": "सारण"})
    assert response.status_code == 302
    assert PoliceRange.objects.filter(name="Saran", name_hi="सारण").exists()
    assert AuditEvent.objects.filter(
        action="range.create", target="Saran", actor_login="state.staff"
    ).exists()
    again = staff_client.post("/ranges/new/", {"name": "saran"})
    assert again.status_code == 400 and "already a range" in again.text
    bad = staff_client.post("/ranges/new/", {"name": "Saran 2!", "name_hi": "Saran"})
    assert bad.status_code == 400 and "Devanagari" in bad.text
    assert PoliceRange.objects.filter(name__iexact="saran").count() == 1


def test_in_hindi_the_list_names_ranges_and_the_signed_in_person_in_hindi(staff_client, world):
    PoliceRange.objects.filter(name="Tirhut").update(name_hi="तिरहुत")
    User.objects.filter(pk=world.staff.pk).update(full_name_hi="राज्य कर्मी")  # rolled back after
    text = staff_client.get("/districts/", HTTP_ACCEPT_LANGUAGE="hi").text
    assert "तिरहुत" in text and "राज्य कर्मी" in text and "जिले" in text
    english = staff_client.get("/districts/", HTTP_ACCEPT_LANGUAGE="en").text
    assert "Tirhut" in english and "राज्य कर्मी" not in english
