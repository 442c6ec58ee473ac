"""Who reaches an RTI application's pages: every URL is 404 for an officer of another district
(with ids that exist in both), for a same-district officer outside the rule, for the district admin
and for the anonymous; a person with no posting is stopped by the gate (403). Linked records show
only to whoever may open them."""

import datetime

import pytest
from django.utils import timezone

from core.models import AuditEvent, RtiApplication
from core.rti.services.applications import rti_receive
from tenants.context import district_context
from tests.core.cases.casework import register
from tests.core.rti.test_rti_receive import receive, update
from tests.helpers import HostClient, next_id_in_both_districts, sign_in_refused

TODAY = timezone.localdate()


def rti_urls(rti_id: int) -> list[tuple[str, str]]:
    base = f"/rti/{rti_id}/"
    return [
        ("get", base),
        ("get", f"{base}edit/"),
        ("post", f"{base}edit/"),
        ("post", f"{base}fee/ask/"),
        ("post", f"{base}fee/paid/"),
        ("post", f"{base}transfer/"),
        ("post", f"{base}third-party/"),
        ("post", f"{base}appeal/"),
        ("post", f"{base}appeal/decision/"),
        ("get", f"{base}transfer/"),
    ]


PROBE = {
    "amount": "10",
    "asked_on": TODAY.isoformat(),
    "paid_on": TODAY.isoformat(),
    "transferred_to": "probe",
    "transferred_on": TODAY.isoformat(),
    "notified_on": TODAY.isoformat(),
    "received_on": TODAY.isoformat(),
    "decided_on": TODAY.isoformat(),
    "applicant_name": "probe",
    "applicant_address": "probe",
    "subject": "probe",
    "fee": "paid",
}


def test_every_rti_url_is_404_for_outsiders_with_ids_that_exist_in_both_districts(ef, world):
    shared = next_id_in_both_districts("core_rtiapplication")
    with district_context("vaishali"):
        application = receive(
            ef, applicant_name="Vaishali applicant", received_on=TODAY - datetime.timedelta(days=3)
        )
    with district_context("muzaffarpur"):
        other = rti_receive(
            actor=ef.actor("other"),
            office=ef.mzp_office,
            received_on=TODAY,
            mode=RtiApplication.Mode.POST,
            applicant_name="Muzaffarpur applicant",
            applicant_address="Kanti",
            subject="Muzaffarpur subject",
            pio_post=ef.posts["other"],
        )
    assert application.pk == other.pk == shared
    # SDPO Mahnar supervises nothing above the SP office; the SI of Mahua and the SDPO office's
    # clerk have no part in an SP office application.
    outsiders = {key: ef.client(key) for key in ("mahnar", "si", "sdpoclerk", "sdpo")}
    outsiders |= {"anonymous": HostClient("vaishali")}
    for who, client in outsiders.items():
        for method, url in rti_urls(application.pk):
            response = getattr(client, method)(url, PROBE | {"pio_post": ef.posts["pio"].pk})
            assert response.status_code == 404, (who, method, url, response.status_code)
        assert "Vaishali applicant" not in client.get("/rti/").content.decode()
    # The Muzaffarpur officer asking their own host for the same id gets their own application.
    page = ef.client("other").get(f"/rti/{application.pk}/").content.decode()
    assert "Muzaffarpur applicant" in page and "Vaishali applicant" not in page
    # Signed in to Muzaffarpur, they are not let into Vaishali at all.
    stranger = HostClient("vaishali")
    stranger.sign_in(ef.people["other"].login_id)
    assert stranger.get(f"/rti/{application.pk}/").status_code in (403, 404)
    with district_context("vaishali"):
        application.refresh_from_db()
        assert application.status == RtiApplication.Status.RECEIVED and application.applicant_name != "probe"
        assert (
            not AuditEvent.objects.filter(action__startswith="rti.", target_id=str(application.pk))
            .exclude(action="rti.receive")
            .exists()
        )


def test_a_person_with_no_posting_is_stopped_by_the_gate(ef, world):
    with district_context("vaishali"):
        application = receive(ef)
    client = HostClient("vaishali")
    assert sign_in_refused(client.sign_in(world.unposted.login_id))
    assert client.get("/rti/").status_code == 302
    assert client.get(f"/rti/{application.pk}/").status_code == 404


def test_the_district_admin_gets_404_for_an_sp_office_application(ef):
    with district_context("vaishali"):
        application = receive(ef)
    admin = HostClient("vaishali")
    admin.sign_in("vaishali.admin")
    assert admin.get(f"/rti/{application.pk}/").status_code == 404


def test_the_anonymous_are_sent_to_sign_in_for_the_register_and_get_404_for_an_application(ef):
    with district_context("vaishali"):
        application = receive(ef)
    anonymous = HostClient("vaishali")
    assert anonymous.get("/rti/").status_code == 302
    assert anonymous.get("/rti/new/").status_code == 302
    assert anonymous.get(f"/rti/{application.pk}/").status_code == 404


@pytest.mark.parametrize(
    "url", ["/rti/0/", "/rti/99999999999999999999999/", "/rti/abc/", "/rti/%00/", "/rti/1/edit/"]
)
def test_ids_out_of_range_or_not_numbers_are_404_not_500(ef, url):
    assert ef.client("sp").get(url).status_code == 404


def test_who_sees_an_application_on_the_register_and_its_page(ef):
    with district_context("vaishali"):
        sp_office = receive(ef, applicant_name="SP office applicant", helper_posts=[ef.posts["sho"]])
        sdpo_office = receive(
            ef,
            "sdpo",
            office=ef.offices["ef-sdpo-mahua"],
            applicant_name="SDPO office applicant",
            pio_post=ef.posts["sdpo"],
        )
    expected = {
        "sp": {"SP office applicant", "SDPO office applicant"},
        "clerk": {"SP office applicant"},
        "pio": {"SP office applicant"},
        "sho": {"SP office applicant"},  # help sought
        "sdpo": {"SDPO office applicant"},
        "sdpoclerk": {"SDPO office applicant"},
        "mahnar": set(),
        "si": set(),
    }
    for key, names in expected.items():
        client = ef.client(key)
        listed = client.get("/rti/").content.decode()
        assert {n for n in ("SP office applicant", "SDPO office applicant") if n in listed} == names, key
        for application, name in ((sp_office, "SP office applicant"), (sdpo_office, "SDPO office applicant")):
            assert client.get(f"/rti/{application.pk}/").status_code == (200 if name in names else 404), key


def test_the_sdpo_may_decide_for_the_pio_of_their_office_but_a_helper_may_not(ef):
    with district_context("vaishali"):
        application = receive(
            ef,
            "sdpoclerk",
            office=ef.offices["ef-sdpo-mahua"],
            pio_post=ef.posts["sdpoclerk"],
            helper_posts=[ef.posts["sho"]],
        )
    url = f"/rti/{application.pk}/transfer/"
    data = {"transferred_to": "DM Vaishali", "transferred_on": TODAY.isoformat()}
    refused = ef.client("sho").post(url, data)
    assert refused.status_code == 200 and "Only the public information officer" in refused.content.decode()
    assert ef.client("sdpo").post(url, data).status_code == 302
    with district_context("vaishali"):
        event = AuditEvent.objects.get(action="rti.transfer")
        assert event.post_id == ef.posts["sdpo"].pk


def test_linked_records_show_only_to_whoever_may_open_them(ef):
    with district_context("vaishali"):
        case = register(ef)
        application = receive(ef)
        update(ef, "sp", application, cases=[case])
    link = f'href="/cases/{case.pk}/"'
    assert link in ef.client("sp").get(f"/rti/{application.pk}/").content.decode()
    clerk_page = ef.client("clerk").get(f"/rti/{application.pk}/").content.decode()
    assert link not in clerk_page and case.label not in clerk_page
    # Nor does the clerk's edit form show (or drop) it.
    edit = ef.client("clerk").get(f"/rti/{application.pk}/edit/")
    assert edit.context["form"]["cases"].value() == ""
    assert ef.client("sp").get(f"/rti/{application.pk}/edit/").context["form"]["cases"].value() == (
        f"Mahua Thana {case.fir_number}/{case.year}"
    )
