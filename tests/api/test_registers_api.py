"""The case and RTI registers through the API (issue 20, point 2): the pages' forms, services and
sight rules, audited as the pages; and every endpoint gives nothing to another district's
officer (token or session, their host or this one), a person with no posting, an expired or
revoked token, or an officer of this district who may not see the record."""

import datetime

import pytest
from django.utils import timezone

from core.models import AuditEvent, Case, CaseCustody, RtiApplication
from tenants.api_tokens import api_token_find, api_token_revoke
from tenants.context import district_context
from tenants.models import ApiToken
from tests.core.cases.casework import register

TODAY = timezone.localdate()


@pytest.fixture
def as_(ef, token_for, api_client):
    def client(key: str, scope: str = ApiToken.Scope.READ_WRITE):
        return api_client("vaishali", token_for(ef.people[key], "vaishali", scope=scope))

    return client


def _case_body(ef, **extra):
    return {
        "thana": ef.offices["ef-thana-mahua"].pk,
        "year": TODAY.year,
        "fir_number": 41,
        "registered_on": TODAY.replace(day=1).isoformat(),
        "sections": "BNS 303(2)",
        "io_post": ef.posts["si"].pk,
        "complainant": "Ram Kumar",
        "brief_facts": "A motorcycle stolen from the market.",
        **extra,
    }


def test_case_register_read_progress_and_custody_as_the_pages(ef, as_):
    sho = as_("sho")
    created = sho.post_json("/api/v1/cases/", _case_body(ef))
    assert created.status_code == 201, created.content
    case = created.json()
    assert case["fir_number"] == 41 and case["io_post_id"] == ef.posts["si"].pk
    # A second entry of the same number: the service's refusal, as JSON in the field.
    again = sho.post_json("/api/v1/cases/", _case_body(ef))
    assert again.status_code == 400 and "fir_number" in again.json()["fields"], again.content

    si = as_("si")
    report = si.post_json(
        f"/api/v1/cases/{case['id']}/progress/",
        {"reported_on": TODAY.isoformat(), "done": "Seized the motorcycle.", "next_steps": "Charge sheet."},
    )
    assert report.status_code == 201, report.content
    assert report.json()["post_id"] == ef.posts["si"].pk
    future = si.post_json(
        f"/api/v1/cases/{case['id']}/progress/",
        {"reported_on": (TODAY + datetime.timedelta(days=2)).isoformat(), "done": "x"},
    )
    assert future.status_code == 400 and "reported_on" in future.json()["fields"]

    moved = sho.post_json(
        f"/api/v1/cases/{case['id']}/custody/", {"to_place": "court", "moved_on": TODAY.isoformat()}
    )
    assert moved.status_code == 201, moved.content
    assert (
        sho.post_json(
            f"/api/v1/cases/{case['id']}/custody/", {"to_place": "court", "moved_on": TODAY.isoformat()}
        ).status_code
        == 400
    )  # already there

    sdpo = as_("sdpo", ApiToken.Scope.READ)
    detail = sdpo.get(f"/api/v1/cases/{case['id']}/").json()
    assert detail["case"]["papers_at"] == "court"
    assert [m["to_place"] for m in detail["custody"]] == ["thana", "court"]
    assert [r["done"] for r in detail["progress"]] == ["Seized the motorcycle."]
    listed = sdpo.get("/api/v1/cases/", {"status": Case.Status.REGISTERED}).json()["results"]
    assert [c["id"] for c in listed] == [case["id"]]
    assert sdpo.get("/api/v1/cases/", {"year": "nineteen"}).status_code == 400  # the page's form refuses it
    # The read token cannot write; the SDPO's read was audited as the page's.
    assert sdpo.post_json(f"/api/v1/cases/{case['id']}/custody/", {}).status_code == 403
    with district_context("vaishali"):
        actions = set(AuditEvent.objects.filter(target_id=str(case["id"])).values_list("action", flat=True))
        assert {"case.register", "case.progress", "case.custody_move", "case.view"} <= actions
        assert CaseCustody.objects.filter(case_id=case["id"]).count() == 2


def test_case_list_pages_by_cursor_in_the_pages_order(ef, as_, monkeypatch):
    from core.api import cases as cases_api
    from core.base.access import viewer_for
    from core.cases.selectors.register import case_list
    from tenants.context import district_context as within

    monkeypatch.setattr(cases_api, "PAGE_SIZE", 2)
    with within("vaishali"):
        for number in range(1, 6):
            day = TODAY - datetime.timedelta(days=number % 3)
            register(ef, fir_number=number, year=day.year, registered_on=day)
    sho = as_("sho", ApiToken.Scope.READ)
    seen, cursor = [], None
    while True:
        body = sho.get("/api/v1/cases/", {"cursor": cursor} if cursor else {}).json()
        seen += [c["id"] for c in body["results"]]
        cursor = body["next"]
        if not cursor:
            break
        with within("vaishali"):  # a case registered while paging, sorting first
            register(ef, fir_number=100 + len(seen), registered_on=TODAY)

    with within("vaishali"):
        order = [c.pk for c in case_list(viewer_for(ef.people["sho"]))]
    assert len(seen) == len(set(seen)) == 5  # those registered meanwhile sort in front
    assert [order.index(pk) for pk in seen] == sorted(order.index(pk) for pk in seen)


def _rti_body(ef, **extra):
    return {
        "office": ef.offices["sp-office"].pk,
        "received_on": TODAY.isoformat(),
        "mode": RtiApplication.Mode.POST,
        "applicant_name": "Suresh Prasad",
        "applicant_address": "Hajipur",
        "subject": "Copies of the FIR register of March",
        "fee": RtiApplication.Fee.PAID,
        "pio_post": ef.posts["pio"].pk,
        "helper_posts": [ef.posts["sp"].pk],
        **extra,
    }


def test_rti_enter_read_with_clocks_and_the_pio_replies(ef, as_):
    clerk = as_("clerk")
    entered = clerk.post_json("/api/v1/rti/", _rti_body(ef))
    assert entered.status_code == 201, entered.content
    application = entered.json()
    assert application["number"].startswith("RTI/")
    assert application["reply_clock"]["due_on"] == (TODAY + datetime.timedelta(days=30)).isoformat()
    assert clerk.post_json("/api/v1/rti/", _rti_body(ef, pio_post=ef.posts["other"].pk)).status_code == 400

    pio = as_("pio")
    detail = pio.get(f"/api/v1/rti/{application['id']}/").json()
    assert detail["can_reply"] is True and detail["helper_post_ids"] == [ef.posts["sp"].pk]
    assert detail["clocks"]["transfer"]["due_on"] == (TODAY + datetime.timedelta(days=5)).isoformat()
    assert detail["clocks"]["first_appeal"] is None and detail["clocks"]["deemed_refused"] is False
    listed = pio.get("/api/v1/rti/", {"due_within": 30}).json()["results"]
    assert [a["id"] for a in listed] == [application["id"]]

    reply = {
        "kind": "information",
        "language": "en",
        "replied_on": TODAY.isoformat(),
        "body": "The copies asked for are enclosed.",
        "appeal_authority": "Superintendent of Police, Vaishali",
        "appeal_days": 30,
    }
    # Whoever sees it but is not the PIO: 403 with the reason; nothing recorded.
    refused = clerk.post_json(f"/api/v1/rti/{application['id']}/reply/", reply)
    assert refused.status_code == 403 and "PIO" in refused.json()["message"]
    replied = pio.post_json(f"/api/v1/rti/{application['id']}/reply/", reply)
    assert replied.status_code == 201, replied.content
    assert replied.json()["kind"] == "information"
    # Once only: the service refuses a second reply.
    assert pio.post_json(f"/api/v1/rti/{application['id']}/reply/", reply).status_code == 400
    after = pio.get(f"/api/v1/rti/{application['id']}/").json()
    assert after["application"]["status"] == RtiApplication.Status.REPLIED
    assert after["clocks"]["reply"]["done_on"] == TODAY.isoformat() and len(after["replies"]) == 1
    with district_context("vaishali"):
        actions = set(
            AuditEvent.objects.filter(target_id=str(application["id"])).values_list("action", flat=True)
        )
    assert {"rti.receive", "rti.view", "rti.reply"} <= actions


# --- Isolation -----------------------------------------------------------------------------------


@pytest.fixture
def registers(ef):
    """A Mahua case and an SP office RTI application, both marked Secret."""
    from core.rti.services.applications import rti_receive

    with district_context("vaishali"):
        case = register(ef, brief_facts="Secret")
        application = rti_receive(
            actor=ef.actor("clerk"),
            office=ef.offices["sp-office"],
            received_on=TODAY,
            mode=RtiApplication.Mode.POST,
            applicant_name="Secret",
            applicant_address="Hajipur",
            subject="Secret",
            pio_post=ef.posts["pio"],
        )
    return {"case": case.pk, "rti": application.pk}


RECORD_ENDPOINTS = [
    ("get", "/api/v1/cases/{case}/"),
    ("post", "/api/v1/cases/{case}/progress/"),
    ("post", "/api/v1/cases/{case}/custody/"),
    ("get", "/api/v1/rti/{rti}/"),
    ("post", "/api/v1/rti/{rti}/reply/"),
]
LISTS = ["/api/v1/cases/", "/api/v1/rti/"]


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def _calls(client, records):
    for method, path in RECORD_ENDPOINTS:
        url = path.format(**records)
        yield url, client.get(url) if method == "get" else _post(client, url, {"done": "x"})


def test_record_endpoints_are_404_to_an_officer_who_may_not_see_them(ef, registers, as_):
    mahnar = as_("mahnar")  # supervises nothing over Mahua thana or the SP office
    for url, response in _calls(mahnar, registers):
        assert response.status_code == 404, url
        assert b"Secret" not in response.content
    for url in LISTS:
        assert mahnar.get(url).json()["results"] == []
    # Writing a case or an application where they keep no register: refused, nothing written.
    assert mahnar.post_json("/api/v1/cases/", _case_body(ef)).status_code == 400
    assert mahnar.post_json("/api/v1/rti/", _rti_body(ef)).status_code == 400


def test_other_district_wrong_host_no_posting_and_dead_tokens_get_nothing(
    world, ef, registers, token_for, api_client
):
    own_host = api_client("muzaffarpur", token_for(ef.people["other"], "muzaffarpur"))
    for url, response in _calls(own_host, registers):
        assert response.status_code == 404, url
        assert b"Secret" not in response.content
    for url in LISTS:
        assert own_host.get(url).json()["results"] == []

    expired = token_for(ef.people["sho"], "vaishali")
    ApiToken.objects.filter(digest=api_token_find(expired).digest).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    revoked = token_for(ef.people["sho"], "vaishali")
    assert api_token_revoke(token=api_token_find(revoked), by=ef.people["sho"])
    session = ef.client("other")
    session.defaults["HTTP_HOST"] = "vaishali.localhost"
    refused = {
        "wrong host": (api_client("vaishali", token_for(ef.people["other"], "muzaffarpur")), (401, 403)),
        "other district's session": (session, (401, 403)),
        "no posting": (api_client("vaishali", token_for(world.unposted, "vaishali")), (401,)),
        "expired": (api_client("vaishali", expired), (401,)),
        "revoked": (api_client("vaishali", revoked), (401,)),
        "anonymous": (api_client("vaishali"), (401,)),
    }
    for name, (client, statuses) in refused.items():
        for url, response in [*_calls(client, registers), *((u, client.get(u)) for u in LISTS)]:
            assert response.status_code in statuses, (name, url, response.status_code)
            assert b"Secret" not in response.content, (name, url)
        for url, body in (("/api/v1/cases/", _case_body(ef)), ("/api/v1/rti/", _rti_body(ef))):
            assert _post(client, url, body).status_code in statuses, (name, url)
    with district_context("vaishali"):
        assert Case.objects.count() == 1 and RtiApplication.objects.count() == 1
