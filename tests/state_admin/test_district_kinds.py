"""A range office (issue 22.2) is a tenant, not a police district: provisioned beside Vaishali, it
changes none of the state console's police-district figures (dashboard counts, rollup totals,
adoption, ranges' district counts, the API's figures), and the district list shows it labelled,
with a filter. The rule is one queryset method, ``District.objects.police_districts()``."""

import datetime

import pytest

from state_admin.models import DistrictRollup
from state_admin.selectors import KIND_DISTRICTS, KIND_SUPERVISING, district_list, police_range_list
from state_admin.selectors_dashboard import dashboard_get
from state_admin.services.audit import StaffActor
from state_admin.services.rollouts import phase_target_set, rollout_plan_create
from state_admin.services.rollup import rollup_refresh
from tenants.models import District, PoliceRange
from tests.helpers import district_remove
from tests.state_admin.conftest import non_staff_clients, refused
from tests.supervision_world import tirhut_provision

pytestmark = pytest.mark.django_db


def _figures(police_range=None) -> dict:
    board = dashboard_get(police_range=police_range)
    return {
        "districts_total": board.districts_total,
        "by_status": [(value, n) for value, _label, n in board.by_status],
        "by_phase": [(str(label), n) for label, n in board.by_phase],
        "offices": board.offices,
        "by_range": board.by_range,
        "by_district": [(d.slug, d.counts) for d in board.by_district],
        "most_gaps": [d.slug for d in board.most_gaps],
        "rollup_count": board.rollup_count,
        "readiness_gaps": [(str(label), n) for label, n in board.readiness_gaps],
        "adoption": board.adoption,
    }


def _range_counts() -> dict:
    return {r.name: r.district_count for r in police_range_list()}


@pytest.fixture(scope="module")
def before_and_range(world, django_db_blocker):
    """The figures with Vaishali and the others only; then the Tirhut range office provisioned
    for real (committed) beside Vaishali, in Vaishali's range, with its own rollup row read from
    its schema. Removed (with its rollup rows) after the module."""
    with django_db_blocker.unblock():
        tirhut_range = PoliceRange.objects.get(name="Tirhut")
        before = {
            "all": _figures(),
            "tirhut": _figures(tirhut_range),
            "ranges": _range_counts(),
        }
        made = tirhut_provision()
        rollup_refresh(districts=[made.district])
    yield before, made.district
    with django_db_blocker.unblock():
        district_remove("tirhut")


def test_the_range_office_is_a_tenant_with_figures_of_its_own(before_and_range):
    _before, office = before_and_range
    assert office.kind == District.Kind.RANGE and office.status == District.Status.LIVE
    # Not vacuous: the range office has offices in its rollup row that the totals must leave out.
    assert DistrictRollup.objects.get(district=office).offices_total >= 1
    assert not District.objects.police_districts().filter(pk=office.pk).exists()
    assert list(District.objects.supervising_offices().filter(slug="tirhut")) == [office]


def test_dashboard_counts_and_rollup_totals_do_not_change(before_and_range):
    before, office = before_and_range
    tirhut_range = PoliceRange.objects.get(name="Tirhut")
    assert _figures() == before["all"]
    assert _figures(tirhut_range) == before["tirhut"]
    board = dashboard_get()
    assert board.supervising_offices == 1
    assert dashboard_get(police_range=tirhut_range).supervising_offices == 1


def test_rollup_totals_are_the_police_districts_rows_alone(world, before_and_range):
    _before, office = before_and_range
    rollup_refresh(districts=[world.vaishali, world.muzaffarpur])
    districts = DistrictRollup.objects.exclude(district=office)
    board = dashboard_get()
    assert board.rollup_count == districts.count()
    assert sum(board.offices) == sum(r.offices_total for r in districts)
    assert "tirhut" not in [d.slug for d in board.by_district]


def test_the_same_office_counted_as_a_district_would_change_them(before_and_range):
    """The check above is not blind: were the office a district, the figures would move."""
    before, office = before_and_range
    District.objects.filter(pk=office.pk).update(kind=District.Kind.DISTRICT)
    after = _figures()
    assert after["districts_total"] == before["all"]["districts_total"] + 1
    assert after["rollup_count"] == before["all"]["rollup_count"] + 1
    assert _range_counts()["Tirhut"] == before["ranges"]["Tirhut"] + 1


def test_ranges_count_their_police_districts_only(before_and_range):
    before, _office = before_and_range
    assert _range_counts() == before["ranges"]


def test_state_api_figures_leave_the_office_out_and_its_list_names_the_kind(before_and_range, staff_client):
    before, _office = before_and_range
    figures = staff_client.get("/api/v1/dashboard/").json()
    assert figures["districts_total"] == before["all"]["districts_total"]
    assert figures["rollup_count"] == before["all"]["rollup_count"]
    assert figures["supervising_offices"] == 1
    kinds = {d["slug"]: d["kind"] for d in staff_client.get("/api/v1/districts/").json()}
    assert kinds["tirhut"] == "range" and kinds["vaishali"] == "district"
    police = [d["slug"] for d in staff_client.get("/api/v1/districts/?kind=districts").json()]
    assert "tirhut" not in police and "vaishali" in police
    offices = [d["slug"] for d in staff_client.get("/api/v1/districts/?kind=supervising").json()]
    assert offices == ["tirhut"]
    bad = staff_client.get("/api/v1/districts/?kind=thana")
    assert bad.status_code == 400 and "kind" in bad.json().get("fields", bad.json())


def test_district_list_shows_the_office_labelled_and_filters_by_kind(before_and_range, staff_client):
    page = staff_client.get("/districts/")
    assert page.status_code == 200
    html = page.text
    assert 'class="kind kind-range">Range office</span>' in html
    assert html.count('class="kind kind-') == 1  # Vaishali and the other districts are not labelled
    only_offices = staff_client.get("/districts/", {"kind": KIND_SUPERVISING}).text
    assert "Tirhut" in only_offices and "Vaishali" not in only_offices
    only_districts = staff_client.get("/districts/", {"kind": KIND_DISTRICTS}).text
    assert "Vaishali" in only_districts and "kind-range" not in only_districts
    assert [d.slug for d in district_list(kind=KIND_SUPERVISING)] == ["tirhut"]
    # The office's own page says what it is.
    assert 'class="kind kind-range">Range office</span>' in staff_client.get("/districts/tirhut/").text


def test_dashboard_page_counts_the_office_apart(before_and_range, staff_client):
    html = staff_client.get("/").text
    assert "Not counted here: 1 range or headquarters office." in html
    assert "?kind=supervising" in html


def test_a_range_office_gets_no_rollout_target(world, before_and_range, staff_client):
    from django.core.exceptions import ValidationError

    _before, office = before_and_range
    actor = StaffActor(user=world.staff, ip="127.0.0.1")
    plan = rollout_plan_create(actor=actor, name="Tirhut 2027", police_range=office.police_range)
    phase = plan.phases.get(number=1)
    with pytest.raises(ValidationError, match="not a police district"):
        phase_target_set(actor=actor, phase=phase, district=office, target_on=datetime.date(2027, 1, 15))
    assert not phase.targets.exists()
    form = staff_client.get(f"/rollouts/{plan.pk}/").text
    assert 'value="tirhut"' not in form and 'value="vaishali"' in form


def test_the_filtered_list_is_the_state_console_s_alone(before_and_range):
    for who, client in non_staff_clients().items():
        for path in ("/districts/?kind=supervising", "/api/v1/districts/?kind=supervising"):
            response = client.get(path)
            assert refused(response) or response.status_code == 401, (who, path)
            assert b"tirhut" not in response.content.lower(), (who, path)
