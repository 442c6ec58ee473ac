"""The state dashboard: staff only, from the rollup tables only, light, with working charts."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from core.base import charts
from core.org.selectors.adoption import week_starts
from state_admin.models import AdoptionWeek, AuditEvent, DistrictRollup
from state_admin.selectors_dashboard import adoption_weeks_for, dashboard_get
from state_admin.services.rollup import ROLLUP_WEEKS, rollup_refresh
from state_admin.tasks.rollup import rollup_refresh_now_task
from tenants.models import District, PoliceRange
from tests.state_admin.conftest import non_staff_clients, refused

pytestmark = pytest.mark.django_db


def _ghost_districts(count: int, *, prefix: str = "ghost", police_range=None) -> list[District]:
    """Districts with rollup rows (and 12 weeks of adoption) but no schema: only the rollup is read."""
    districts = District.objects.bulk_create(
        [
            District(
                slug=f"{prefix}-{i}",
                name=f"Ghost {prefix} {i}",
                name_hi="भूत",
                schema_name=f"{prefix}_{i}",
                status=District.Status.LIVE,
                police_range=police_range,
            )
            for i in range(count)
        ]
    )
    DistrictRollup.objects.bulk_create(
        [
            DistrictRollup(
                district=d,
                offices_total=10 + i,
                offices_live=3,
                offices_by_phase={"1": {"planned": 0, "preparing": 2, "live": 3}, "3": {"planned": 5 + i}},
                readiness_gaps={"computers": 1, "training": i % 4},
                offices_not_ready=1 + i % 3,
                officers_posted=20,
                current_phase=1 + i % 3,
            )
            for i, d in enumerate(districts)
        ]
    )
    mondays = week_starts(weeks=ROLLUP_WEEKS, today=timezone.localdate())
    AdoptionWeek.objects.bulk_create(
        [
            AdoptionWeek(district=d, week=w, active_officers=n + 1)
            for d in districts
            for n, w in enumerate(mondays)
        ]
    )
    return districts


def test_staff_sees_the_dashboard_with_charts_and_tables(world, staff_client):
    rollup_refresh(districts=[world.vaishali, world.muzaffarpur])
    response = staff_client.get("/")
    assert response.status_code == 200
    html = response.text
    assert "Vaishali" in html and "Muzaffarpur" in html
    assert html.count('role="img"') >= 9  # status, phase, ranges, districts, gaps, four weekly series
    assert "Figures as of" in html and "Refresh figures now" in html
    assert "Tirhut" in html and "<caption>" in html
    # Dak, files and documents are counted by the e-File's registered counters: no "not counted".
    assert "Not counted yet" not in html


def test_dashboard_without_any_rollup_says_so(world, staff_client):
    response = staff_client.get("/")
    assert response.status_code == 200
    assert "No figures yet" in response.text


@pytest.mark.parametrize("method", ["get", "post"])
def test_others_are_refused_and_a_refused_refresh_changes_nothing(world, method):
    audit_before, pending_before = AuditEvent.objects.count(), HUEY.pending_count()
    for who, client in non_staff_clients().items():
        path = "/" if method == "get" else "/dashboard/refresh/"
        assert refused(getattr(client, method)(path)), who
    assert AuditEvent.objects.count() == audit_before
    assert HUEY.pending_count() == pending_before


def test_dashboard_reads_no_district_schema_and_queries_do_not_grow(world, staff_client):
    rollup_refresh(districts=[world.vaishali, world.muzaffarpur])
    staff_client.get("/")  # warm up: session, translations

    with CaptureQueriesContext(connection) as small:
        assert staff_client.get("/").status_code == 200
    _ghost_districts(48)
    with CaptureQueriesContext(connection) as large:
        response = staff_client.get("/")
    assert response.status_code == 200 and "Ghost ghost 47" in response.text
    assert len(large.captured_queries) == len(small.captured_queries)
    schemas = {"vaishali", "muzaffarpur", *District.objects.values_list("schema_name", flat=True)} - {
        "public"
    }
    for query in small.captured_queries + large.captured_queries:
        sql = query["sql"]
        assert "core_" not in sql, sql
        assert not any(f'"{schema}"' in sql for schema in schemas), sql


def test_range_filter_and_bad_range(world, staff_client):
    other = PoliceRange.objects.create(name="Purnia")
    _ghost_districts(2, prefix="purnia", police_range=other)
    rollup_refresh(districts=[world.vaishali])
    tirhut = world.vaishali.police_range
    html = staff_client.get("/", {"range": tirhut.pk}).text
    assert "Vaishali" in html and "Ghost purnia" not in html
    html = staff_client.get("/", {"range": other.pk}).text
    assert "Ghost purnia 1" in html and "Vaishali" not in html
    response = staff_client.get("/", {"range": "not-a-range"})
    assert (
        response.status_code == 200 and "Unknown range" in response.text and "Ghost purnia" in response.text
    )


def test_page_stays_light_with_many_districts(world, staff_client):
    _ghost_districts(300)
    response = staff_client.get("/")
    assert response.status_code == 200
    assert len(response.content) < 100_000
    assert 'href="/districts/"' in response.text  # the rest are on the districts list


def test_figures_add_up_over_districts(world):
    before = dashboard_get()
    other = PoliceRange.objects.create(name="Kosi")
    _ghost_districts(3, prefix="sum", police_range=other)  # offices live 3, preparing 2, planned 5+i each
    dash = dashboard_get()
    rows = {d.slug: d for d in dash.by_district}
    assert rows["sum-2"].counts == (3, 2, 7) and rows["sum-2"].gaps == 1 + 2
    assert dash.offices == tuple(a + b for a, b in zip(before.offices, (9, 6, 18), strict=True))
    assert dict(dash.by_range)["Kosi"] == (9, 6, 18)
    gaps, old_gaps = dict(dash.readiness_gaps), dict(before.readiness_gaps)
    assert gaps["Computers installed"] - old_gaps["Computers installed"] == 3
    assert gaps["Staff trained"] - old_gaps["Staff trained"] == 0 + 1 + 2
    assert dash.rollup_count == before.rollup_count + 3
    mondays = week_starts(weeks=ROLLUP_WEEKS, today=timezone.localdate())
    old_weeks = {row["week"]: row for row in before.adoption}
    state = {row["week"]: row for row in dash.adoption}
    assert (
        state[mondays[-1]]["active_officers"] - old_weeks[mondays[-1]]["active_officers"] == 3 * ROLLUP_WEEKS
    )
    assert dash.as_of == min(DistrictRollup.objects.values_list("refreshed_at", flat=True))
    kosi = dashboard_get(police_range=other)
    assert kosi.districts_total == 3 and kosi.offices == (9, 6, 18)
    assert [d.slug for d in kosi.most_gaps] == ["sum-2", "sum-1", "sum-0"]  # 3, 2, 1 offices not ready


def test_refresh_button_enqueues_audits_and_the_task_refreshes(
    world, staff_client, django_capture_on_commit_callbacks
):
    HUEY.flush()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post("/dashboard/refresh/")
    assert response.status_code == 302 and response.url == "/"
    event = AuditEvent.objects.get(action="rollup.refresh")
    assert event.actor == world.staff
    task = HUEY.dequeue()
    assert task is not None and task.name.endswith("rollup_refresh_now_task")
    assert HUEY.pending_count() == 0
    assert not DistrictRollup.objects.filter(district=world.vaishali).exists()
    assert rollup_refresh_now_task.call_local() >= 2  # what the consumer runs
    assert DistrictRollup.objects.filter(district__in=[world.vaishali, world.muzaffarpur]).count() == 2
    assert staff_client.get("/dashboard/refresh/").status_code == 405


def test_adoption_partial_for_one_district(world):
    rollup_refresh(districts=[world.vaishali])
    rows = adoption_weeks_for(world.vaishali)
    assert len(rows) == ROLLUP_WEEKS and rows[0].week < rows[-1].week
    AdoptionWeek.objects.filter(district=world.vaishali).delete()
    empty_weeks = adoption_weeks_for(world.vaishali, weeks=4)
    assert [r.pk for r in empty_weeks] == [None] * 4  # missing weeks are zero rows, not gaps
    html = render_to_string("state_admin/_adoption.html", {"adoption_weeks": rows})
    assert html.count("<svg") == 4 and html.count("<table") == 4
    assert "Active officers" in html and "Documents uploaded" in html
    assert "No figures yet" in render_to_string("state_admin/_adoption.html", {"adoption_weeks": []})


def test_charts_handle_empty_zero_and_hostile_labels():
    empty = charts.bar_chart(chart_id="e", title="Empty", rows=[])
    assert 'role="img"' in empty and "<title" in empty and "No figures yet" in empty
    zeros = charts.stacked_bar_chart(
        chart_id="z", title="Zeros", rows=[("A", (0, 0))], series=[("x", "#000"), ("y", "#111")]
    )
    assert "A</text>" in zeros and "NaN" not in zeros
    many = charts.bar_chart(chart_id="m", title="Many", rows=[("A", 5), ("B", 10)], width=480)
    assert 'viewBox="0 0 480 ' in many and 'width="240.0"' in many  # the longest bar fills the area
    cols = charts.column_chart(
        chart_id="c", title="T", points=[("w1", 0), ("w2", 0)], x_label="Week", y_label="n"
    )
    assert "NaN" not in cols and "Week</text>" in cols
    assert "No figures yet" in charts.column_chart(
        chart_id="c", title="T", points=[], x_label="x", y_label="y"
    )
    hostile = charts.bar_chart(chart_id="h", title="<b>", rows=[("<script>alert(1)</script>", 3)])
    assert "<script>" not in hostile and "&lt;script&gt;" in hostile
    assert [charts.nice_ceiling(v) for v in (0, 1, 3, 7, 11, 480)] == [1, 1, 5, 10, 20, 500]


def test_week_starts_are_mondays():
    mondays = week_starts(weeks=3, today=datetime.date(2025, 1, 1))  # a Wednesday
    assert mondays == [datetime.date(2024, 12, 16), datetime.date(2024, 12, 23), datetime.date(2024, 12, 30)]
