"""Onboarding a district from the state console's form, through the background task, with the
progress page a member of the state IT department follows."""

import pytest
from django.db import connection
from huey.contrib.djhuey import HUEY

from state_admin.models import AuditEvent, OfficeTemplate
from state_admin.tasks.provisioning import provisioning_progress_get
from tenants.models import District, DistrictMembership
from tests.helpers import HostClient, district_remove
from tests.state_admin.conftest import non_staff_clients, refused

GOOD = {
    "name": "Sheohar",
    "name_hi": "शिवहर",
    "slug": "sheohar",
    "new_range": "Tirhut",
    "admin_login_id": "no.posting",
}


def _post_new(client, **changes):
    return client.post("/districts/new/", {**GOOD, **changes})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"slug": "vaishali"}, "slug", "already used"),
        ({"slug": "www"}, "slug", "reserved"),
        ({"slug": "Bad Slug!"}, "slug", ""),
        ({"name": "शिवहर"}, "name", "Latin letters"),
        ({"name_hi": "Sheohar"}, "name_hi", "Devanagari"),
        ({"name": "12345"}, "name", "Latin letters"),
        ({"admin_login_id": "nobody.here"}, "admin_login_id", "No account"),
        ({"admin_login_id": ""}, "admin_login_id", "Name the first district admin"),
        ({"new_range": "सारण"}, "new_range", "Latin letters"),
    ],
)
def test_bad_onboarding_input_gets_field_errors_and_starts_nothing(staff_client, changes, field, words):
    before = AuditEvent.objects.count()
    response = _post_new(staff_client, **changes)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert words in " ".join(errors[field])
    assert AuditEvent.objects.count() == before
    slug = changes.get("slug", "sheohar")
    if slug.isalnum():
        assert provisioning_progress_get(slug) is None
    assert not District.objects.filter(slug="sheohar").exists()


@pytest.mark.django_db
def test_choosing_a_range_and_naming_a_new_one_is_refused(staff_client):
    from tenants.models import PoliceRange

    tirhut = PoliceRange.objects.get(name="Tirhut")
    response = _post_new(staff_client, police_range=tirhut.pk, new_range="Saran")
    assert "new_range" in response.context["form"].errors


@pytest.mark.django_db
def test_only_platform_staff_may_onboard(world):
    for who, client in non_staff_clients().items():
        assert refused(client.get("/districts/new/")), who
        assert refused(_post_new(client)), who
    assert not AuditEvent.objects.filter(action="district.onboard").exists()
    assert provisioning_progress_get("sheohar") is None


@pytest.fixture
def onboarded(world, django_db_blocker):
    """Cleans up the district the end-to-end test makes (its rows and schema are committed)."""
    with django_db_blocker.unblock():
        yield
        district_remove("sheohar")
        from django.core.cache import cache

        cache.delete("state:provisioning:sheohar")


def _run_queued_tasks():
    while (task := HUEY.dequeue()) is not None:
        HUEY.execute(task)


def test_onboarding_from_the_form_runs_the_task_and_the_page_follows_it(onboarded):
    staff = HostClient(None)
    staff.sign_in("state.staff")
    template = OfficeTemplate.objects.order_by("pk").first()
    assert template is not None, "built-in office templates exist after migrate"
    response = _post_new(staff, template=template.pk)
    assert response.status_code == 302 and response.url == "/districts/sheohar/onboarding/"

    page = staff.get(response.url)
    assert page.status_code == 200 and 'id="bar"' in page.text
    assert staff.get("/districts/sheohar/provisioning/").json()["state"] == "queued"

    _run_queued_tasks()

    progress = staff.get("/districts/sheohar/provisioning/").json()
    assert progress["state"] == "done", progress
    assert progress["done"] == progress["total"] == len(progress["steps"])
    assert progress["steps"][-1] == "offices"
    # A reload after the work shows the finished bar, not a spinner or a fresh start.
    reloaded = staff.get("/districts/sheohar/onboarding/")
    assert f'value="{progress["total"]}"' in reloaded.text and "The district is live." in reloaded.text

    district = District.objects.get(slug="sheohar")
    assert district.status == District.Status.LIVE and district.range_name == "Tirhut"
    assert DistrictMembership.objects.filter(district=district, person__login_id="no.posting").exists()
    event = AuditEvent.objects.get(action="district.onboard", district_slug="sheohar")
    assert event.actor_login == "state.staff" and event.details["template"] == template.slug
    assert event.ip

    detail = staff.get("/districts/sheohar/")
    assert detail.status_code == 200
    assert "No Posting" in detail.text  # the first district admin
    from core.models import Office
    from tenants.context import district_context

    with district_context(district.schema_name):
        assert Office.objects.count() > 1  # the template's offices, beside the SP office
    connection.set_schema_to_public()


@pytest.mark.django_db
def test_progress_of_an_unknown_onboarding_is_not_found(staff_client):
    assert staff_client.get("/districts/nowhere/onboarding/").status_code == 404
    assert staff_client.get("/districts/nowhere/provisioning/").status_code == 404
