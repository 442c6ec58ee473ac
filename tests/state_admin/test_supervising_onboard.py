"""Creating a range office or police headquarters from the state console (issue 22.2): the
onboarding form takes the kind and a range office's districts; staff only; audited in the staff
trail; bad combinations refused with the field named, nothing started."""

import pytest
from django.core.cache import cache
from huey.contrib.djhuey import HUEY

from state_admin.models import AuditEvent, OfficeTemplate
from state_admin.tasks.provisioning import provisioning_progress_get
from tenants.models import District, PoliceRange
from tests.helpers import HostClient, district_remove
from tests.state_admin.conftest import non_staff_clients, refused

RANGE = {
    "name": "Saran",
    "name_hi": "सारण",
    "slug": "saran",
    "kind": "range",
    "new_range": "Saran",
    "admin_login_id": "no.posting",
}


def _post(client, **changes):
    data = {**RANGE, **changes}
    return client.post("/districts/new/", {k: v for k, v in data.items() if v is not None})


def _errors(response) -> dict:
    assert response.status_code == 200
    return response.context["form"].errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"new_range": ""}, "police_range", "needs its police range"),
        ({"new_range": "Tirhut"}, "police_range", "already has its office"),
        ({"kind": "headquarters"}, "police_range", "belongs to no range"),
        ({"kind": "district", "supervised": "vaishali"}, "supervised", "Only a range office"),
        ({"kind": "headquarters", "new_range": "", "supervised": "vaishali"}, "supervised", "Only a range"),
        ({"kind": "tehsil"}, "kind", ""),
        ({"supervised": "no-such-district"}, "supervised", ""),
        ({"template": "vaishali-2025"}, "template", "for a police district"),
    ],
)
def test_bad_range_or_headquarters_requests_are_refused_and_start_nothing(
    staff_client, changes, field, words
):
    if changes.get("new_range") == "Tirhut":  # a range office for Tirhut exists already
        District.objects.create(
            slug="tirhut-office",
            schema_name="tirhut_office",
            name="Tirhut",
            kind=District.Kind.RANGE,
            police_range=PoliceRange.objects.get(name="Tirhut"),
        )
    if changes.get("template"):
        changes["template"] = OfficeTemplate.objects.order_by("pk").first().pk
    if changes.get("supervised") == "vaishali":
        changes["supervised"] = District.objects.get(slug="vaishali").pk
    before = AuditEvent.objects.count()
    ranges = dict(District.objects.values_list("slug", "police_range_id"))
    errors = _errors(_post(staff_client, **changes))
    assert field in errors, errors
    assert words in " ".join(errors[field])
    assert AuditEvent.objects.count() == before
    assert provisioning_progress_get("saran") is None
    assert not District.objects.filter(slug="saran").exists()
    assert dict(District.objects.values_list("slug", "police_range_id")) == ranges


@pytest.mark.django_db
def test_only_platform_staff_may_create_a_range_office(world):
    vaishali = District.objects.get(slug="vaishali")
    for who, client in non_staff_clients().items():
        assert refused(_post(client, supervised=vaishali.pk)), who
    assert not AuditEvent.objects.filter(action="district.onboard").exists()
    assert District.objects.get(slug="vaishali").police_range_id == vaishali.police_range_id


@pytest.fixture
def made(world, django_db_blocker):
    """Removes what the end-to-end tests make (their rows and schemas are committed) and puts
    Vaishali back in its range."""
    with django_db_blocker.unblock():
        tirhut = District.objects.get(slug="vaishali").police_range_id
        yield
        for slug in ("saran", "phq2"):
            district_remove(slug)
            cache.delete(f"state:provisioning:{slug}")
        District.objects.filter(slug="vaishali").update(police_range_id=tirhut)
        PoliceRange.objects.filter(name="Saran").delete()


def _run_queued_tasks():
    while (task := HUEY.dequeue()) is not None:
        HUEY.execute(task)


def test_a_range_office_made_from_the_console_supervises_the_districts_chosen(made):
    staff = HostClient(None)
    staff.sign_in("state.staff")
    form = staff.get("/districts/new/")
    assert 'name="kind"' in form.text and 'name="supervised"' in form.text
    vaishali = District.objects.get(slug="vaishali")
    response = _post(staff, supervised=vaishali.pk)
    assert response.status_code == 302 and response.url == "/districts/saran/onboarding/"
    _run_queued_tasks()
    assert staff.get("/districts/saran/provisioning/").json()["state"] == "done"
    saran = District.objects.get(slug="saran")
    assert saran.kind == District.Kind.RANGE and saran.status == District.Status.LIVE
    assert saran.range_name == "Saran" and District.objects.get(slug="vaishali").range_name == "Saran"
    event = AuditEvent.objects.get(action="district.onboard", district_slug="saran")
    assert event.actor_login == "state.staff"
    assert event.details["kind"] == "range" and event.details["supervised"] == ["vaishali"]

    from core.models import Office
    from core.supervision.selectors import supervised_districts
    from tenants.context import district_context

    assert list(supervised_districts(saran).values_list("slug", flat=True)) == ["vaishali"]
    with district_context("saran"):
        assert Office.objects.get(code="sp-office").name == "DIG Office, Saran Range"


def test_headquarters_made_from_the_console_has_no_range(made):
    staff = HostClient(None)
    staff.sign_in("state.staff")
    response = _post(
        staff,
        slug="phq2",
        name="Police Headquarters (Patna)",
        name_hi="पुलिस मुख्यालय (पटना)",
        kind="headquarters",
        new_range="",
    )
    assert response.status_code == 302, response.context["form"].errors
    _run_queued_tasks()
    phq = District.objects.get(slug="phq2")
    assert phq.kind == District.Kind.HEADQUARTERS and phq.police_range_id is None
    assert (
        AuditEvent.objects.get(action="district.onboard", district_slug="phq2").details["kind"]
        == "headquarters"
    )
