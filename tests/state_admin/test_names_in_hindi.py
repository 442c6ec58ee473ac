"""District, range and phase names in Hindi on Hindi pages (and in the charts), English on English."""

import re

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from state_admin.selectors_dashboard import DistrictOffices
from state_admin.services.audit import StaffActor
from state_admin.services.rollouts import rollout_plan_create
from state_admin.services.rollup import rollup_refresh
from tenants.models import District, PoliceRange
from tests.state_admin.conftest import non_staff_clients, refused

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture
def tirhut(world):
    police_range = PoliceRange.objects.get(name="Tirhut")
    police_range.name_hi = "तिरहुत"
    police_range.save(update_fields=["name_hi"])
    return police_range


def _in_hindi(client):
    client.cookies[COOKIE] = "hi"
    return client


def _svg(page: str, chart_id: str) -> str:
    match = re.search(rf'<svg[^>]*id="{chart_id}".*?</svg>', page, re.S)
    assert match, f"no chart {chart_id}"
    return match.group(0)


def test_display_name_follows_the_active_language(world, tirhut):
    district = District.objects.get(slug="vaishali")
    with translation.override("hi"):
        assert district.display_name == "वैशाली" and tirhut.display_name == "तिरहुत"
    with translation.override("en"):
        assert district.display_name == "Vaishali" and tirhut.display_name == "Tirhut"
    # No Hindi name: the English one, in both languages.
    tirhut.name_hi = ""
    with translation.override("hi"):
        assert tirhut.display_name == "Tirhut"
    row = DistrictOffices("vaishali", "Vaishali", "वैशाली", (1, 0, 0))
    with translation.override("hi"):
        assert row.display_name == "वैशाली"


def test_both_names_puts_the_pages_language_first_and_escapes(world):
    template = Template("{% load names %}{{ thing|both_names }}")
    thing = {"name": "<b>Vaishali</b>", "name_hi": "वैशाली"}
    with translation.override("hi"):
        html = template.render(Context({"thing": thing}))
    assert html.startswith('<span lang="hi">वैशाली</span>') and "&lt;b&gt;Vaishali" in html
    with translation.override("en"):
        assert template.render(Context({"thing": thing})).startswith("&lt;b&gt;Vaishali")
        assert template.render(Context({"thing": {"name": "Sheohar", "name_hi": ""}})) == "Sheohar"


def test_state_console_district_list_in_hindi_shows_hindi_district_and_range_names(
    world, tirhut, staff_client
):
    page = _in_hindi(staff_client).get("/districts/").text
    row = re.search(r"<tr>\s*<td><a href=\"/districts/vaishali/\">(.*?)</tr>", page, re.S).group(1)
    assert row.index("वैशाली") < row.index("Vaishali")
    assert "तिरहुत" in row
    # The range picker of the filters too.
    assert re.search(rf'<option value="{tirhut.pk}"[^>]*>तिरहुत</option>', page)

    english = staff_client
    english.cookies[COOKIE] = "en"
    row = re.search(
        r"<tr>\s*<td><a href=\"/districts/vaishali/\">(.*?)</tr>", english.get("/districts/").text, re.S
    )
    assert row.group(1).index("Vaishali") < row.group(1).index("वैशाली")
    assert "तिरहुत" not in row.group(1)


def test_district_page_heading_and_range_in_hindi(world, tirhut, staff_client):
    page = _in_hindi(staff_client).get("/districts/vaishali/").text
    assert re.search(r'<h1><span lang="hi">वैशाली</span> · <span lang="en">Vaishali</span></h1>', page)
    assert '<span lang="hi">तिरहुत</span>' in page


def test_dashboard_tables_and_chart_labels_in_hindi(world, tirhut, staff_client):
    rollup_refresh(districts=[world.vaishali, world.muzaffarpur])
    page = _in_hindi(staff_client).get("/").text
    districts_chart = _svg(page, "offices-district")
    assert "वैशाली" in districts_chart and "मुज़फ़्फ़रपुर" in districts_chart
    assert "Vaishali" not in districts_chart
    ranges_chart = _svg(page, "offices-range")
    assert "तिरहुत" in ranges_chart and "Tirhut" not in ranges_chart

    staff_client.cookies[COOKIE] = "en"
    page = staff_client.get("/").text
    assert "Vaishali" in _svg(page, "offices-district") and "Tirhut" in _svg(page, "offices-range")


def test_rollout_pages_show_plan_phase_and_district_names_in_hindi(world, tirhut, staff_client):
    plan = rollout_plan_create(
        actor=StaffActor(user=world.staff), name="Tirhut 2025", name_hi="तिरहुत 2025", police_range=tirhut
    )
    page = _in_hindi(staff_client).get(f"/rollouts/{plan.pk}/").text
    assert "<title>तिरहुत 2025" in page
    assert '<h1><span lang="hi">तिरहुत 2025</span>' in page
    assert "तिरहुत" in page.split("<h1>", 1)[1]
    first_phase = plan.phases.order_by("number").first()
    assert f'<span lang="hi">{first_phase.name_hi}</span>' in page
    listing = staff_client.get("/rollouts/").text
    assert '<span lang="hi">तिरहुत 2025</span> · <span lang="en">Tirhut 2025</span>' in listing


def test_the_console_pages_in_hindi_are_still_refused_to_everyone_else(world, tirhut):
    for who, client in non_staff_clients().items():
        _in_hindi(client)
        for url in ("/districts/", "/districts/vaishali/", "/"):
            response = client.get(url)
            assert refused(response) or "वैशाली" not in response.text, (who, url)
