import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_exists

from tenants.models import District, Domain
from tests.helpers import HostClient, sign_in_refused

pytestmark = pytest.mark.django_db


def test_officer_signs_in_on_own_district_and_sees_own_desk(world, vaishali_client):
    response = vaishali_client.sign_in("sdpo.mahua")
    assert response.status_code == 302 and response.url == "/"
    desk = vaishali_client.get("/")
    assert desk.status_code == 200
    assert "SDPO Mahua" in desk.text and "Vaishali" in desk.text


def test_officer_can_sign_in_with_email_too(world, vaishali_client):
    assert vaishali_client.sign_in("sdpo.mahua@example.org").status_code == 302
    assert vaishali_client.get("/").status_code == 200


def test_officer_of_other_district_is_refused_at_sign_in(world, muzaffarpur_client):
    # As for a wrong password (tests/config/test_sign_in_limits.py): the right one tells nothing.
    response = muzaffarpur_client.sign_in("sdpo.mahua")
    assert sign_in_refused(response) and "no posting" not in response.text
    assert muzaffarpur_client.get("/").status_code == 302  # still anonymous


def test_officer_is_refused_on_the_state_console(world, state_client):
    assert sign_in_refused(state_client.sign_in("sdpo.mahua"))


def test_person_without_posting_is_refused_everywhere(world):
    for subdomain in ("vaishali", "muzaffarpur", None):
        assert sign_in_refused(HostClient(subdomain).sign_in("no.posting")), subdomain


def test_session_cookie_from_vaishali_is_anonymous_on_muzaffarpur_and_root(world, vaishali_client):
    vaishali_client.sign_in("sdpo.mahua")
    cookie = vaishali_client.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["domain"], "session cookies must be host-only"
    for subdomain in ("muzaffarpur", None):
        other = HostClient(subdomain)
        other.cookies[settings.SESSION_COOKIE_NAME] = cookie.value
        response = other.get("/")
        assert response.status_code == 302 and "/accounts/login/" in response.url
    assert vaishali_client.get("/").status_code == 200


def test_session_is_bound_to_the_host_it_was_made_on(world, vaishali_client):
    Domain.objects.create(domain=f"hajipur.{settings.ROOT_DOMAIN}", tenant=world.vaishali, is_primary=False)
    vaishali_client.sign_in("sdpo.mahua")
    alias = HostClient("hajipur")
    alias.cookies[settings.SESSION_COOKIE_NAME] = vaishali_client.cookies[settings.SESSION_COOKIE_NAME].value
    assert alias.get("/").status_code == 302


def test_ended_posting_signs_the_officer_out_at_the_next_request(world, vaishali_client):
    from core.models import Posting
    from tenants.context import district_context

    vaishali_client.sign_in("sdpo.mahua")
    with district_context("vaishali"):
        posting = Posting.objects.get(person=world.vaishali_officer)
        Posting.objects.filter(pk=posting.pk).update(starts_on="2020-01-01", ends_on="2020-12-31")
    response = vaishali_client.get("/")
    assert response.status_code == 403
    assert vaishali_client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("host", "statuses"),
    [
        ("nowhere.localhost", {404}),
        ("127.0.0.1", {400}),
        ("VAISHALI.localhost", {404}),
        ("vaishali.localhost.", {404}),
        ("vaishali.localhost:8000", {302}),
        ("evil.example.com", {400}),
        ("vai_shali.localhost", {400, 404}),
    ],
)
def test_odd_hosts_get_400_or_404_never_500(world, host, statuses):
    response = HostClient(host=host).get("/")
    assert response.status_code in statuses


def test_unknown_subdomain_gets_a_404_page_not_another_site(world):
    response = HostClient("nowhere").get("/accounts/login/")
    assert response.status_code == 404
    assert "Not found" in response.text
    assert "Vaishali" not in response.text and "State console" not in response.text


def test_suspended_district_shows_every_user_its_page_and_keeps_data(world, vaishali_client):
    vaishali_client.sign_in("sdpo.mahua")
    District.objects.filter(pk=world.vaishali.pk).update(status=District.Status.SUSPENDED)
    from tenants.hosts import host_cache_clear

    host_cache_clear()
    for client in (vaishali_client, HostClient("vaishali")):
        for path in ("/", "/accounts/login/"):
            response = client.get(path)
            assert response.status_code == 403
            assert "suspended" in response.text
    assert schema_exists("vaishali")


def test_suspension_through_the_model_takes_effect_at_once_in_this_process(world, vaishali_client):
    assert vaishali_client.get("/accounts/login/").status_code == 200  # warms the host cache
    district = District.objects.get(pk=world.vaishali.pk)
    district.status = District.Status.SUSPENDED
    district.save()
    assert vaishali_client.get("/accounts/login/").status_code == 403


def test_planned_district_says_it_is_not_open_yet(world):
    planned = District.objects.create(slug="sitamarhi", schema_name="sitamarhi", name="Sitamarhi")
    Domain.objects.create(domain=f"sitamarhi.{settings.ROOT_DOMAIN}", tenant=planned, is_primary=True)
    response = HostClient("sitamarhi").get("/")
    assert response.status_code == 503
    assert "not open yet" in response.text


def test_status_page_speaks_hindi(world):
    District.objects.filter(pk=world.vaishali.pk).update(status=District.Status.SUSPENDED)
    response = HostClient("vaishali", HTTP_ACCEPT_LANGUAGE="hi").get("/")
    assert response.status_code == 403
    assert "निलंबित" in response.text


# /i18n/setlang/ by GET is a redirect that reads nothing: the cheapest page through the whole
# middleware stack (/healthz is answered before the Host is resolved, config.health).
def test_host_lookup_costs_no_query_once_warm(world, vaishali_client):
    vaishali_client.get("/i18n/setlang/")
    with CaptureQueriesContext(connection) as queries:
        assert vaishali_client.get("/i18n/setlang/").status_code == 302
    assert not [q for q in queries.captured_queries if "tenants_domain" in q["sql"]]


def test_access_gate_reads_postings_once_per_request(world, vaishali_client):
    vaishali_client.sign_in("sdpo.mahua")
    vaishali_client.get("/i18n/setlang/")
    with CaptureQueriesContext(connection) as queries:
        assert vaishali_client.get("/i18n/setlang/").status_code == 302
    assert len([q for q in queries.captured_queries if "core_posting" in q["sql"]]) == 1


def test_root_domain_serves_the_state_console_login(world, state_client):
    response = state_client.get("/accounts/login/")
    assert response.status_code == 200
    assert "State console" in response.text
