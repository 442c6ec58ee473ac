"""core.base.districts: the one loop over districts that periodic work uses (issue 17, point 6),
in both its forms: ``each_district`` (work run under each district's schema) and
``districts_visit`` (work handed the District, run under the caller's schema)."""

import logging

import pytest
from django.db import connection

from core.base.districts import WITH_SCHEMA, districts_visit, each_district
from core.models import Office
from tenants.context import district_context
from tenants.models import District

pytestmark = pytest.mark.django_db


def _ghost():
    """A live district whose schema does not exist: any work under it fails."""
    return District.objects.create(slug="ghost", schema_name="ghost", name="Ghost", status="live")


def test_each_district_runs_under_each_schema_and_counts_a_failure_alone(world, caplog):
    with district_context("vaishali"):
        offices = Office.objects.count()
    _ghost()  # made last: its failure (an aborted statement) comes after the others have run
    District.objects.create(slug="planned-x", schema_name="planned_x", name="Planned", status="planned")
    with caplog.at_level(logging.ERROR, logger="core.base.districts"):
        done = each_district(
            lambda: (connection.schema_name, Office.objects.count()), failure="Counting failed"
        )
    assert done["vaishali"] == ("vaishali", offices) and done["muzaffarpur"][0] == "muzaffarpur"
    assert done.failed == ["ghost"] and "ghost" not in done and "planned_x" not in done
    assert "Counting failed in district ghost" in caplog.text
    assert connection.schema_name == "public"


def test_districts_visit_hands_the_district_keys_by_slug_and_marks_failures(world, caplog):
    _ghost()
    seen = []

    def work(district):
        seen.append((district.slug, connection.schema_name))
        if district.slug == "ghost":
            raise RuntimeError("no schema")
        return district.name

    with caplog.at_level(logging.ERROR, logger="core.base.districts"):
        done = districts_visit(
            work,
            failure="Visiting failed",
            statuses=WITH_SCHEMA,
            order_by="slug",
            key="slug",
            failed_as="error",
        )
    assert [slug for slug, _ in seen] == sorted(slug for slug, _ in seen)
    assert {schema for _, schema in seen} == {"public"}  # the work picks its own schema
    assert done["vaishali"] == world.vaishali.name and done["ghost"] == "error"
    assert done.failed == ["ghost"] and list(done) == [slug for slug, _ in seen]
    assert "Visiting failed in district ghost" in caplog.text


def test_districts_visit_without_failed_as_leaves_failures_out_of_the_results(world):
    _ghost()
    done = districts_visit(lambda d: 1 / 0 if d.slug == "ghost" else 1, failure="x", key="slug")
    assert "ghost" not in done and done.failed == ["ghost"] and done["vaishali"] == 1
