"""The case register's pages: the list shows only visible cases, forms refuse bad input without a
500, and every case URL is 404 for whoever may not see the case (ids that exist in both districts)."""

import pytest
from django.utils import timezone

from core.cases.services.register import case_register
from core.models import AuditEvent, Case, CaseCustody, PapersPlace
from tenants.context import district_context
from tests.core.cases.casework import (
    a_date,
    muzaffarpur_sho,
    next_case_id_in_both_districts,
    register,
    second_thana,
)
from tests.helpers import HostClient

YEAR = timezone.localdate().year


def _form(**change) -> dict:
    return {
        "thana": "",
        "year": str(YEAR),
        "fir_number": "42",
        "registered_on": a_date().isoformat(),
        "sections": "BNS 303(2)",
        "io_post": "",
        "complainant": "Sita Devi",
        "accused": "Unknown",
        "brief_facts": "A motorcycle stolen from the market.",
    } | change


def test_registering_through_the_form_opens_the_case_page_with_its_custody(ef):
    thana = ef.offices["ef-thana-mahua"]
    sho = ef.client("sho")
    assert "Mahua" in sho.get("/cases/new/").content.decode()
    response = sho.post("/cases/new/", _form(thana=thana.pk, io_post=ef.posts["si"].pk))
    assert response.status_code == 302
    with district_context("vaishali"):
        case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.pk}/"
    page = sho.get(f"/cases/{case.pk}/").content.decode()
    assert f"Mahua PS case 42/{YEAR}" in page and "Sita Devi" in page and "SI Mahua" in page
    assert "Case registered." in page
    with district_context("vaishali"):
        assert AuditEvent.objects.filter(action="case.view", target_id=str(case.pk)).count() == 1


def test_a_duplicate_number_shows_the_error_on_the_form_and_keeps_what_was_typed(ef):
    with district_context("vaishali"):
        register(ef, fir_number=42)
    response = ef.client("si").post("/cases/new/", _form(thana=ef.offices["ef-thana-mahua"].pk))
    page = response.content.decode()
    assert response.status_code == 200 and "already in the register" in page and "Sita Devi" in page
    with district_context("vaishali"):
        assert Case.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"sections": "BNS\x00"},
        {"fir_number": "99999999999999999999999"},
        {"fir_number": "-4"},
        {"registered_on": "2025-02-30"},
        {"registered_on": "\x00"},
        {"registered_on": "9999-12-31"},
        {"year": "99999999999999999999"},
        {"thana": "99999999999999999999"},
        {"io_post": "99999999999999999999"},
        {"io_post": "\x00"},
        {"thana": None},
    ],
)
def test_bad_input_on_the_register_form_is_a_form_error_not_a_500(ef, change):
    data = _form(thana=ef.offices["ef-thana-mahua"].pk) | change
    data = {key: value for key, value in data.items() if value is not None}
    response = ef.client("sho").post("/cases/new/", data)
    assert response.status_code == 200
    with district_context("vaishali"):
        assert not Case.objects.exists()


def test_the_register_form_offers_only_the_thanas_the_person_may_keep(ef):
    with district_context("vaishali"):
        lalganj = second_thana(ef)
    response = ef.client("sho").post("/cases/new/", _form(thana=lalganj.pk))
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert "cannot register a case" in ef.client("clerk").get("/cases/new/").content.decode()
    with district_context("vaishali"):
        assert not Case.objects.exists()


def test_the_list_shows_only_visible_cases_and_filters_by_thana_year_and_status(ef):
    with district_context("vaishali"):
        lalganj = second_thana(ef)
        register(ef, fir_number=1)
        old = register(ef, fir_number=2, year=YEAR - 1)
        register(ef, key="sp", thana=lalganj, fir_number=3)
        Case.objects.filter(pk=old.pk).update(status=Case.Status.CHARGE_SHEETED)
    sdpo = ef.client("sdpo").get("/cases/").content.decode()
    assert f"Mahua PS case 1/{YEAR}" in sdpo and f"Mahua PS case 2/{YEAR - 1}" in sdpo
    assert "Lalganj PS case" not in sdpo
    sp = ef.client("sp")
    assert "Lalganj PS case 3" in sp.get("/cases/").content.decode()
    only_lalganj = sp.get("/cases/", {"thana": lalganj.pk}).content.decode()
    assert "Lalganj PS case 3" in only_lalganj and "Mahua PS case" not in only_lalganj
    last_year = sp.get("/cases/", {"year": YEAR - 1}).content.decode()
    assert f"Mahua PS case 2/{YEAR - 1}" in last_year and "Mahua PS case 1/" not in last_year
    charged = sp.get("/cases/", {"status": "charge_sheeted"}).content.decode()
    assert "Mahua PS case 2/" in charged and "Mahua PS case 1/" not in charged
    for odd in ({"thana": "\x00"}, {"year": "x"}, {"status": "nope"}, {"page": "99999999999"}):
        assert sp.get("/cases/", odd).status_code == 200
    for key in ("clerk", "pio", "sdpoclerk"):
        assert "PS case" not in ef.client(key).get("/cases/").content.decode()
    # SDPO Mahnar supervises Lalganj, not Mahua.
    mahnar = ef.client("mahnar").get("/cases/").content.decode()
    assert "Lalganj PS case 3" in mahnar and "Mahua PS case" not in mahnar


def test_moving_the_papers_and_editing_through_the_pages(ef):
    with district_context("vaishali"):
        case = register(ef, year=YEAR - 1)
    sho = ef.client("sho")
    today = timezone.localdate().isoformat()
    response = sho.post(
        f"/cases/{case.pk}/custody/", {"to_place": "court", "moved_on": today, "remarks": "Trial"}
    )
    assert response.status_code == 302
    refused = sho.post(f"/cases/{case.pk}/custody/", {"to_place": "court", "moved_on": today})
    assert refused.status_code == 200 and "already kept there" in refused.content.decode()
    for bad in ({"to_place": "court", "moved_on": "\x00"}, {"to_place": "\x00"}, {}):
        assert sho.post(f"/cases/{case.pk}/custody/", bad).status_code == 200
    assert sho.get(f"/cases/{case.pk}/custody/").status_code == 405
    edit = {
        "status": "investigating",
        "io_post": ef.posts["si"].pk,
        "sections": "BNS 303(2)",
        "complainant": "",
        "accused": "",
        "brief_facts": "",
    }
    assert sho.get(f"/cases/{case.pk}/edit/").status_code == 200
    assert sho.post(f"/cases/{case.pk}/edit/", edit).status_code == 302
    assert sho.post(f"/cases/{case.pk}/edit/", edit | {"io_post": "99999999999999999999"}).status_code == 200
    with district_context("vaishali"):
        case.refresh_from_db()
        assert (case.status, case.io_post_id, case.papers_at) == (
            "investigating",
            ef.posts["si"].pk,
            PapersPlace.COURT,
        )
        assert CaseCustody.objects.filter(case=case).count() == 2


def _case_urls(case_id: int) -> list[tuple[str, str]]:
    return [
        ("get", f"/cases/{case_id}/"),
        ("get", f"/cases/{case_id}/edit/"),
        ("post", f"/cases/{case_id}/edit/"),
        ("post", f"/cases/{case_id}/custody/"),
        ("get", f"/cases/{case_id}/custody/"),
    ]


def test_every_case_url_is_404_for_outsiders_with_ids_that_exist_in_both_districts(ef, world):
    mzp_thana, mzp_actor = muzaffarpur_sho(ef)
    shared = next_case_id_in_both_districts()
    with district_context("vaishali"):
        case = register(ef, fir_number=11)
    with district_context("muzaffarpur"):
        other = case_register(
            actor=mzp_actor,
            thana=mzp_thana,
            year=YEAR,
            fir_number=11,
            registered_on=a_date(),
            sections="Muzaffarpur BNS",
        )
    assert case.pk == other.pk == shared
    admin = HostClient("vaishali")
    admin.sign_in("vaishali.admin")
    outsiders = {key: ef.client(key) for key in ("clerk", "pio", "mahnar", "sdpoclerk")}
    outsiders |= {"district admin": admin, "anonymous": HostClient("vaishali")}
    data = {"status": "disposed", "sections": "probe", "to_place": "court", "moved_on": a_date().isoformat()}
    for who, client in outsiders.items():
        for method, url in _case_urls(case.pk):
            response = getattr(client, method)(url, data)
            assert response.status_code == 404, (who, method, url, response.status_code)
    assert "PS case" not in admin.get("/cases/").content.decode()
    assert HostClient("vaishali").get("/cases/").status_code == 302  # sign in first
    # The Muzaffarpur officer asking their own host for the same id gets their own case only.
    page = ef.client("other").get(f"/cases/{case.pk}/").content.decode()
    assert "Kanti PS case 11" in page and "Mahua" not in page
    with district_context("vaishali"):
        case.refresh_from_db()
        assert case.status == Case.Status.REGISTERED and case.papers_at == PapersPlace.THANA
        assert not AuditEvent.objects.filter(
            action__in=["case.view", "case.update"], target_id=str(case.pk)
        ).exists()


@pytest.mark.parametrize(
    "url", ["/cases/0/", "/cases/99999999999999999999999/", "/cases/abc/", "/cases/%00/", "/cases/1/edit/"]
)
def test_ids_out_of_range_or_not_numbers_are_404_not_500(ef, url):
    assert ef.client("sp").get(url).status_code == 404
