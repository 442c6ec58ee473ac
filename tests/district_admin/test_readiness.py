"""The go-live checklist screens: item rules, who confirmed what, gating with and without an
override, and the admin-only gate (a refused POST changes nothing)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.base.audit import Actor
from core.models import AuditEvent, Office, ReadinessItem
from core.org import services
from core.org.services.readiness import readiness_details_check, readiness_item_record
from tenants.context import district_context
from tenants.models import User
from tests.district_admin.conftest import non_admin_clients, refused

pytestmark = pytest.mark.django_db

ALL_ITEMS = list(ReadinessItem.Item.values)
VALID = {
    "computers": {"computers-needed": "3", "computers-installed": "3"},
    "scanner": {"scanner-available": "on", "scanner-model": "Canon DR-C225"},
    "internet": {"internet-type": "fibre", "internet-tested_on": "2026-01-10", "internet-mbps": "40"},
    "power": {"power-kind": "inverter", "power-hours": "4"},
    "migration": {"migration-share": "100"},
}


def _in(world):
    return district_context(world.vaishali.schema_name)


def _thana(world, code="t-rd-thana", **extra) -> Office:
    with _in(world):
        return services.office_create(
            code=code, name=f"Thana {code}", kind=Office.Kind.THANA, phase=3, **extra
        )


def _admin():
    return User.objects.get(login_id="vaishali.admin")


def _url(office, tail=""):
    return f"/admin/offices/{office.pk}/readiness/{tail}"


def _state(world, office):
    with _in(world):
        return (
            Office.objects.values_list("status", "went_live_on", "go_live_override").get(pk=office.pk),
            list(ReadinessItem.objects.filter(office=office).values_list("item", "done", "details")),
            AuditEvent.objects.count(),
        )


def _make_ready(world, office):
    with _in(world):
        actor = Actor(person=_admin())
        for item, values in VALID.items():
            prefix = f"{item}-"
            readiness_item_record(
                actor=actor,
                office=office,
                item=item,
                values={k.removeprefix(prefix): v for k, v in values.items()},
            )
        ReadinessItem.objects.filter(office=office, item="training").delete()
        ReadinessItem.objects.create(office=office, item="training", done=True, confirmed_by=_admin())


# --- item rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "values", "done"),
    [
        ("computers", {"needed": 2, "installed": 1}, False),
        ("computers", {"needed": 2, "installed": 2}, True),
        ("computers", {"needed": 2, "installed": 3}, True),
        ("computers", {"needed": 0, "installed": 0}, False),
        ("scanner", {"available": False, "model": ""}, False),
        ("scanner", {"available": True, "model": "HP"}, True),
        ("internet", {"type": "4g", "tested_on": None, "mbps": 10}, False),
        ("internet", {"type": "vsat", "tested_on": datetime.date(2026, 1, 2)}, True),
        ("power", {"kind": "ups", "hours": 0}, False),
        ("power", {"kind": "solar", "hours": "1.5"}, True),
        ("migration", {"share": 99}, False),
        ("migration", {"share": 100}, True),
    ],
)
def test_item_rules(item, values, done):
    details, is_done = readiness_details_check(item=item, values=values)
    assert is_done is done
    assert set(details) >= {k for k in values if k != "mbps" or values[k] is not None}


@pytest.mark.parametrize(
    ("item", "values", "field"),
    [
        ("computers", {"needed": -1, "installed": 1}, "needed"),
        ("computers", {"needed": "x", "installed": 1}, "needed"),
        ("internet", {"type": "carrier-pigeon", "tested_on": None}, "type"),
        (
            "internet",
            {"type": "fibre", "tested_on": timezone.localdate() + datetime.timedelta(days=3)},
            "tested_on",
        ),
        ("power", {"kind": "candles", "hours": 3}, "kind"),
        ("power", {"kind": "ups", "hours": 500}, "hours"),
        ("migration", {"share": 101}, "share"),
    ],
)
def test_bad_details_are_refused_by_field(item, values, field):
    with pytest.raises(ValidationError) as caught:
        readiness_details_check(item=item, values=values)
    assert field in caught.value.error_dict


# --- screens ----------------------------------------------------------------------------------


def test_admin_sees_the_overview_and_the_office_page(world, admin_client):
    office = _thana(world)
    response = admin_client.get("/admin/readiness/")
    assert response.status_code == 200
    assert office.name in response.text and "Scanner" in response.text
    row = next(r for r in response.context["rows"] if r["office"].pk == office.pk)
    assert row["gaps"] == ALL_ITEMS
    page = admin_client.get(_url(office))
    assert page.status_code == 200
    assert page.text.count("da-item-form") == len(ALL_ITEMS)
    assert "Go live today" in page.text


def test_computers_two_needed_one_installed_is_not_done_then_done(world, admin_client):
    office = _thana(world)
    response = admin_client.post(
        _url(office, "computers/"), {"computers-needed": "2", "computers-installed": "1"}
    )
    assert response.status_code == 302 and response.url.endswith("#computers")
    with _in(world):
        row = ReadinessItem.objects.get(office=office, item="computers")
        assert not row.done and row.details == {"needed": 2, "installed": 1}
        assert row.confirmed_by.login_id == "vaishali.admin" and row.confirmed_at is not None
        assert Office.objects.get(pk=office.pk).status == Office.Status.PREPARING
        event = AuditEvent.objects.filter(action="readiness.confirm").latest("id")
        assert event.target_id == str(office.pk) and event.details["item"] == "computers"
    admin_client.post(_url(office, "computers/"), {"computers-needed": "2", "computers-installed": "2"})
    with _in(world):
        assert ReadinessItem.objects.get(office=office, item="computers").done
    page = admin_client.get(_url(office))
    assert "2 of 2 installed" in page.text and "Confirmed by" in page.text


def test_every_item_can_be_recorded_through_its_form(world, admin_client):
    office = _thana(world)
    for item, data in VALID.items():
        response = admin_client.post(_url(office, f"{item}/"), data)
        assert response.status_code == 302, (item, response.content[:500])
    with _in(world):
        done = dict(ReadinessItem.objects.filter(office=office).values_list("item", "done"))
    assert done == {"computers": True, "scanner": True, "internet": True, "power": True, "migration": True}
    page = admin_client.get(_url(office)).text
    assert "Fibre, tested on" in page and "40 Mbps" in page and "Inverter, 4 hours" in page


def test_bad_input_shows_field_errors_and_writes_nothing(world, admin_client):
    office = _thana(world)
    before = _state(world, office)
    response = admin_client.post(
        _url(office, "computers/"), {"computers-needed": "many", "computers-installed": "1"}
    )
    assert response.status_code == 200 and "Enter a whole number" in response.text
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = admin_client.post(
        _url(office, "internet/"), {"internet-type": "fibre", "internet-tested_on": future}
    )
    assert response.status_code == 200 and "cannot be in the future" in response.text
    response = admin_client.post(_url(office, "migration/"), {"migration-share": "150"})
    assert response.status_code == 200
    assert admin_client.post(_url(office, "coffee/"), {}).status_code == 404
    assert _state(world, office) == before


def test_go_live_with_a_complete_checklist(world, admin_client):
    office = _thana(world)
    _make_ready(world, office)
    response = admin_client.post(f"/admin/offices/{office.pk}/go-live/", {"override_reason": ""})
    assert response.status_code == 302
    with _in(world):
        live = Office.objects.get(pk=office.pk)
        assert live.status == Office.Status.LIVE and live.went_live_on == timezone.localdate()
        assert live.go_live_override == ""
        assert AuditEvent.objects.filter(action="office.go_live", target_id=str(office.pk)).exists()
    page = admin_client.get(_url(office))
    assert "live since" in page.text
    again = admin_client.post(f"/admin/offices/{office.pk}/go-live/", {})
    assert again.status_code == 200 and "already live" in again.text


def test_incomplete_checklist_needs_a_written_override(world, admin_client):
    office = _thana(world)
    admin_client.post(_url(office, "computers/"), VALID["computers"])
    before = _state(world, office)
    response = admin_client.post(f"/admin/offices/{office.pk}/go-live/", {"override_reason": "   "})
    assert response.status_code == 200 and "write why it goes live anyway" in response.text
    response = admin_client.post(f"/admin/offices/{office.pk}/go-live/", {"override_reason": "urgent"})
    assert response.status_code == 200 and "in a few words" in response.text
    assert _state(world, office) == before

    reason = "SP ordered go-live before the Durga Puja bandobast"
    response = admin_client.post(f"/admin/offices/{office.pk}/go-live/", {"override_reason": reason})
    assert response.status_code == 302
    with _in(world):
        live = Office.objects.get(pk=office.pk)
        assert live.status == Office.Status.LIVE and live.go_live_override == reason
        event = AuditEvent.objects.get(action="office.go_live_override", target_id=str(office.pk))
        assert event.details["override_reason"] == reason and "scanner" in event.details["missing"]


def test_closed_office_cannot_go_live_or_be_recorded(world, admin_client):
    office = _thana(world, status=Office.Status.CLOSED)
    _make_ready_closed = _state(world, office)
    response = admin_client.post(f"/admin/offices/{office.pk}/go-live/", {"override_reason": "a b c d"})
    assert response.status_code == 200 and "closed" in response.text
    response = admin_client.post(_url(office, "computers/"), VALID["computers"])
    assert response.status_code == 200 and "closed" in response.text
    assert _state(world, office) == _make_ready_closed
    assert office.pk not in [r["office"].pk for r in admin_client.get("/admin/readiness/").context["rows"]]


def test_non_admins_are_refused_and_their_posts_change_nothing(world, db):
    office = _thana(world)
    before = _state(world, office)
    for who, client in non_admin_clients().items():
        assert refused(client.get("/admin/readiness/")), who
        assert refused(client.get(_url(office))), who
        assert refused(client.post(_url(office, "computers/"), VALID["computers"])), who
        assert refused(
            client.post(f"/admin/offices/{office.pk}/go-live/", {"override_reason": "a b c d e"})
        ), who
    assert _state(world, office) == before


def test_muzaffarpurs_offices_never_appear(world, admin_client):
    with district_context(world.muzaffarpur.schema_name):
        other = services.office_create(code="t-rd-muz", name="Muzaffarpur Town Thana", kind=Office.Kind.THANA)
    response = admin_client.get("/admin/readiness/")
    assert "Muzaffarpur Town Thana" not in response.text
    page = admin_client.get(_url(other))
    assert "Muzaffarpur Town Thana" not in page.text
