import pytest
from django.utils import timezone

from core.base.records import records_register, records_unregister
from core.models import AuditEvent, Office
from core.org import services
from tenants.context import district_context
from tests.district_admin.conftest import non_admin_clients, refused
from tests.helpers import HostClient, sign_in_refused

pytestmark = pytest.mark.django_db


def test_district_admin_sees_the_districts_offices(world):
    client = HostClient("vaishali")
    client.sign_in("vaishali.admin")
    response = client.get("/admin/offices/")
    assert response.status_code == 200
    assert "SP Office Vaishali" in response.text and "Muzaffarpur" not in response.text


def test_officer_who_is_not_district_admin_gets_404(world, vaishali_client):
    vaishali_client.sign_in("sdpo.mahua")
    assert vaishali_client.get("/admin/").status_code == 404


def test_admin_of_another_district_gets_nothing(world):
    client = HostClient("vaishali")
    assert sign_in_refused(client.sign_in("muzaffarpur.admin"))
    response = client.get("/admin/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_anonymous_and_unposted_get_nothing(world):
    assert HostClient("vaishali").get("/admin/").status_code == 302
    client = HostClient("vaishali")
    assert sign_in_refused(client.sign_in("no.posting"))
    assert client.get("/admin/").status_code == 302


# The offices tree screens.

TODAY = timezone.localdate()


@pytest.fixture
def offices(world, db, actor):
    """An SDPO office with a circle under it, in Vaishali, made through the services."""
    with district_context("vaishali"):
        sp = Office.objects.get(code="sp-office")
        sdpo = services.office_create(
            actor=actor, code="g2o-sdpo", name="SDPO Goroul", name_hi="एसडीपीओ गोरौल", kind="sdpo", parent=sp
        )
        circle = services.office_create(
            actor=actor, code="g2o-circle", name="Circle Goroul", kind="circle", parent=sdpo
        )
    return {"sp": sp, "sdpo": sdpo, "circle": circle}


def _office(code: str) -> Office | None:
    with district_context("vaishali"):
        return Office.objects.filter(code=code).first()


def _counts():
    with district_context("vaishali"):
        return Office.objects.count(), AuditEvent.objects.count()


def test_hindi_names_round_trip_through_the_form_the_list_and_the_tree(admin_client, offices):
    assert admin_client.get("/admin/offices/new/").status_code == 200
    response = admin_client.post(
        "/admin/offices/new/",
        {
            "code": "g2o-thana", "name": "Goroul Thana", "name_hi": "गोरौल थाना", "kind": "thana",
            "parent": offices["circle"].pk, "address": "NH 22, गोरौल", "phase": 3, "status": "planned",
            "go_live_target": "2027-03-31",
        },
    )  # fmt: skip
    thana = _office("g2o-thana")
    assert response.status_code == 302 and response.url == f"/admin/offices/{thana.pk}/"
    assert (thana.name_hi, thana.address, thana.parent_id) == (
        "गोरौल थाना",
        "NH 22, गोरौल",
        offices["circle"].pk,
    )
    tree = admin_client.get("/admin/offices/").text
    assert "गोरौल थाना" in tree and "एसडीपीओ गोरौल" in tree and "NH 22, गोरौल" in tree
    links = [tree.index(f">{name}</a>") for name in ("SDPO Goroul", "Circle Goroul", "Goroul Thana")]
    assert links == sorted(links)
    edit = admin_client.get(f"/admin/offices/{thana.pk}/edit/").text
    assert 'value="गोरौल थाना"' in edit
    detail = admin_client.get(f"/admin/offices/{thana.pk}/").text
    assert "गोरौल थाना" in detail
    admin_client.post("/i18n/setlang/", {"language": "hi", "next": "/admin/offices/"})
    hindi_detail = admin_client.get(f"/admin/offices/{thana.pk}/").text
    assert '<span lang="hi">एसडीपीओ गोरौल</span>' in admin_client.get("/admin/offices/").text
    assert "गोरौल थाना" in hindi_detail


def test_admin_edits_an_office(admin_client, offices):
    response = admin_client.post(
        f"/admin/offices/{offices['circle'].pk}/edit/",
        {"name": "Circle Goroul", "name_hi": "अंचल गोरौल", "kind": "circle", "address": "", "phase": 2,
         "status": "preparing", "go_live_target": "2026-12-15"},
    )  # fmt: skip
    assert response.status_code == 302
    circle = _office("g2o-circle")
    assert (circle.name_hi, circle.status, str(circle.go_live_target)) == (
        "अंचल गोरौल",
        "preparing",
        "2026-12-15",
    )


def test_a_wrong_parent_kind_is_refused_with_a_message(admin_client, offices):
    before = _counts()
    response = admin_client.post(
        "/admin/offices/new/",
        {"code": "g2o-bad", "name": "Bad", "kind": "thana", "parent": offices["sp"].pk, "phase": 3,
         "status": "planned"},
    )  # fmt: skip
    assert response.status_code == 200 and "cannot sit under" in response.text
    assert _counts() == before


def test_moving_an_office_under_its_own_sub_office_is_refused_with_a_message(admin_client, offices):
    url = f"/admin/offices/{offices['sdpo'].pk}/move/"
    assert admin_client.get(url).status_code == 200
    # The form offers no such parent; a forged choice is refused all the same.
    response = admin_client.post(url, {"parent": offices["circle"].pk})
    assert response.status_code == 200 and "errorlist" in response.text
    assert _office("g2o-sdpo").parent_id == offices["sp"].pk


def test_admin_moves_a_circle_to_another_sdpo(admin_client, offices, actor):
    with district_context("vaishali"):
        other = services.office_create(actor=actor, code="g2o-sdpo2", name="SDPO Two", kind="sdpo")
    response = admin_client.post(f"/admin/offices/{offices['circle'].pk}/move/", {"parent": other.pk})
    assert response.status_code == 302 and _office("g2o-circle").parent_id == other.pk


def test_closing_an_office_that_holds_open_records_is_refused_with_a_message(admin_client, offices):
    records_register(key="test.files", label="open files", office_count=lambda office: 5)
    try:
        response = admin_client.post(
            f"/admin/offices/{offices['circle'].pk}/close/",
            {"closed_on": TODAY.isoformat(), "close_reason": "Merged"},
        )
    finally:
        records_unregister("test.files")
    assert response.status_code == 200 and "open files: 5" in response.text
    assert _office("g2o-circle").status == Office.Status.PLANNED


def test_closing_an_office_with_an_open_sub_office_is_refused_then_allowed(admin_client, offices):
    response = admin_client.post(
        f"/admin/offices/{offices['sdpo'].pk}/close/",
        {"closed_on": TODAY.isoformat(), "close_reason": "Merged"},
    )
    assert response.status_code == 200 and "open sub-offices: 1" in response.text
    response = admin_client.post(
        f"/admin/offices/{offices['circle'].pk}/close/", {"closed_on": TODAY.isoformat(), "close_reason": ""}
    )
    assert response.status_code == 200 and _office("g2o-circle").status != "closed"
    response = admin_client.post(
        f"/admin/offices/{offices['circle'].pk}/close/",
        {"closed_on": TODAY.isoformat(), "close_reason": "Merged with Mahua"},
    )
    circle = _office("g2o-circle")
    assert response.status_code == 302 and (circle.status, circle.close_reason) == (
        "closed",
        "Merged with Mahua",
    )
    assert "Merged with Mahua" in admin_client.get(f"/admin/offices/{circle.pk}/").text


def test_non_admins_get_none_of_the_offices_screens_and_change_nothing(offices):
    sdpo, circle = offices["sdpo"].pk, offices["circle"].pk
    pages = {
        "/admin/offices/": None,
        "/admin/offices/new/": {
            "code": "g2o-x",
            "name": "X",
            "kind": "sdpo",
            "phase": 1,
            "status": "planned",
        },
        f"/admin/offices/{sdpo}/": None,
        f"/admin/offices/{circle}/edit/": {
            "name": "Changed",
            "kind": "circle",
            "phase": 1,
            "status": "planned",
        },
        f"/admin/offices/{circle}/move/": {"parent": ""},
        f"/admin/offices/{circle}/close/": {"closed_on": TODAY.isoformat(), "close_reason": "x"},
    }
    before = _counts()
    for who, client in non_admin_clients().items():
        for url, data in pages.items():
            assert refused(client.get(url)), (who, url)
            if data is not None:
                assert refused(client.post(url, data)), (who, url)
    assert _counts() == before
    circle_now = _office("g2o-circle")
    assert (circle_now.name, circle_now.parent_id, circle_now.status) == ("Circle Goroul", sdpo, "planned")


def test_vaishalis_admin_cannot_see_or_edit_muzaffarpurs_offices(admin_client, world):
    with district_context("vaishali"):
        free_id = (Office.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 10_000
    with district_context("muzaffarpur"):
        Office.objects.create(id=free_id, code="g2o-muz", name="Muzaffarpur Town Thana", kind="other")
    assert "Muzaffarpur Town Thana" not in admin_client.get("/admin/offices/").text
    for suffix in ("", "edit/", "move/", "close/", "posts/new/"):
        assert admin_client.get(f"/admin/offices/{free_id}/{suffix}").status_code == 404
    response = admin_client.post(
        f"/admin/offices/{free_id}/edit/", {"name": "Hijacked", "kind": "other", "phase": 1}
    )
    assert response.status_code == 404
    with district_context("muzaffarpur"):
        assert Office.objects.get(id=free_id).name == "Muzaffarpur Town Thana"


def test_short_code_is_checked_and_begins_the_office_numbers(admin_client, world):
    from core.models import Office

    response = admin_client.post(
        "/admin/offices/new/",
        {
            "code": "thana-bidupur",
            "name": "District crime records bureau",
            "kind": "other",
            "abbr": "sp-office",
            "phase": 3,
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert "2 to 12 Latin capital letters" in response.text
    response = admin_client.post(
        "/admin/offices/new/",
        {
            "code": "thana-bidupur",
            "name": "District crime records bureau",
            "kind": "other",
            "abbr": "psbdp",
            "phase": 3,
            "status": "planned",
        },
    )
    assert response.status_code == 302
    with district_context("vaishali"):
        office = Office.objects.get(code="thana-bidupur")
        assert office.abbr == "PSBDP" and office.number_prefix == "PSBDP"
    # Another office may not take it, nor another office's code in capitals.
    response = admin_client.post(
        "/admin/offices/new/",
        {
            "code": "thana-bidupur-2",
            "name": "Bidupur 2",
            "kind": "other",
            "abbr": "PSBDP",
            "phase": 3,
            "status": "planned",
        },
    )
    assert "Another office uses the short code PSBDP" in response.text
    response = admin_client.post(
        "/admin/offices/new/",
        {
            "code": "thana-bidupur-3",
            "name": "Bidupur 3",
            "kind": "other",
            "abbr": "SP",
            "phase": 3,
            "status": "planned",
        },
    )
    assert response.status_code == 302
