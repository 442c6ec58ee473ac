"""The staff directory's card, ``/people/<id>/``: what it shows (and what it keeps back), in
English and Hindi; who reaches it: a colleague posted here, never an officer of another district
(with the same person id asked of both hosts), nor the anonymous (404), nor a person with no
posting (the gate's 403, then 404); a person whose posting here has ended has no card here; every
read is audited."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from core.models import AuditEvent, Post
from core.org import services as core_services
from core.org.services.postings import posting_end, posting_start
from tenants.context import district_context
from tests.core.efile.conftest import ef  # noqa: F401
from tests.core.search.people import A_MONTH_AGO, NAME, NAME_HI, POST_HI, SERVICE_NUMBER, inspector_add
from tests.helpers import HostClient, sign_in_refused

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def inspector(ef):  # noqa: F811
    return inspector_add(ef)


def card_url(person) -> str:
    return f"/people/{person.pk}/"


def test_a_colleague_sees_the_card_with_name_number_rank_and_posts(ef, inspector):
    page = ef.client("clerk").get(card_url(inspector.person))
    assert page.status_code == 200
    html = page.text
    for shown in (NAME, NAME_HI, SERVICE_NUMBER, "Inspector of Police", "Inspector Mahua", "Mahua Thana"):
        assert shown in html, shown
    with translation.override("en"):
        assert date_format(A_MONTH_AGO, "SHORT_DATE_FORMAT") in html  # since when
    # Credentials and personal contacts stay off the card.
    for kept in ("sunita.kumari", "example.org", "9876543210"):
        assert kept not in html, kept


def test_every_card_read_is_audited_as_the_readers_post(ef, inspector):
    ef.client("si").get(card_url(inspector.person))
    with district_context("vaishali"):
        event = AuditEvent.objects.get(action="person.view")
    assert (event.target_type, event.target_id) == ("user", str(inspector.person.pk))
    assert event.person_id == ef.people["si"].pk and event.post_id == ef.posts["si"].pk
    assert event.summary == NAME


def test_the_card_is_in_hindi_when_the_page_is(ef, inspector):
    client = ef.client("clerk")
    client.cookies["karyalay_language"] = "hi"
    html = client.get(card_url(inspector.person)).text
    assert "सेवा संख्या" in html and "इस जिले में पदस्थापनाएँ" in html
    assert POST_HI in html and "महुआ थाना" in html
    assert html.index(NAME_HI) < html.index(NAME)  # the Hindi name first


def test_the_card_shows_only_this_districts_postings(ef, inspector):
    """Ids are global: the same person posted in both districts has a card on each host, each
    with that district's posts only."""
    with district_context("muzaffarpur"):
        post = core_services.post_create(
            office=ef.mzp_office, code="mzp-reader", title="Reader to the SP", kind=Post.Kind.SI
        )
        posting_start(person=inspector.person, post=post, starts_on=A_MONTH_AGO)
    here = ef.client("clerk").get(card_url(inspector.person)).text
    there = ef.client("other").get(card_url(inspector.person)).text
    assert "Inspector Mahua" in here and "Reader to the SP" not in here
    assert "Reader to the SP" in there and "Inspector Mahua" not in there


def test_an_officer_of_another_district_gets_404_for_a_person_posted_only_here(ef, inspector, world):
    # Muzaffarpur's clerk asks their own host for the inspector's id: not their district's person.
    assert ef.client("other").get(card_url(inspector.person)).status_code == 404
    # And Vaishali's colleagues get 404 for Muzaffarpur's people, whose accounts exist too.
    clerk = ef.client("clerk")
    for person in (ef.people["other"], world.muzaffarpur_officer):
        assert clerk.get(card_url(person)).status_code == 404
    # Signed in to Muzaffarpur, they are not let into Vaishali at all.
    stranger = HostClient("vaishali")
    assert sign_in_refused(stranger.sign_in(ef.people["other"].login_id))
    assert stranger.get(card_url(inspector.person)).status_code == 404
    with district_context("vaishali"):
        assert not AuditEvent.objects.filter(action="person.view").exists()


def test_a_person_with_no_posting_is_stopped_by_the_gate_and_the_anonymous_get_404(ef, inspector, world):
    client = HostClient("vaishali")
    assert sign_in_refused(client.sign_in(world.unposted.login_id))
    assert client.get(card_url(inspector.person)).status_code == 404
    assert HostClient("vaishali").get(card_url(inspector.person)).status_code == 404
    # Nor has a person with no posting a card, whoever asks.
    assert ef.client("clerk").get(card_url(world.unposted)).status_code == 404


def test_a_person_whose_posting_ended_has_no_card_here(ef, inspector):
    with district_context("vaishali"):
        posting_end(posting=inspector.posting, ends_on=YESTERDAY, actor=ef.actor("sp"))
    assert ef.client("sp").get(card_url(inspector.person)).status_code == 404
    # A posting that ends today is still in force today.
    with district_context("vaishali"):
        posting_start(
            person=inspector.person,
            post=ef.posts["pio"],
            starts_on=A_MONTH_AGO,
            ends_on=timezone.localdate(),
            additional_charge=True,
            actor=ef.actor("sp"),
        )
    assert ef.client("sp").get(card_url(inspector.person)).status_code == 200


@pytest.mark.parametrize("path", ["/people/0/", "/people/99999999999999999999999/", "/people/abc/"])
def test_ids_out_of_range_or_not_numbers_are_404(ef, path):
    assert ef.client("sp").get(path).status_code == 404


def test_the_card_is_read_only(ef, inspector):
    client = ef.client("clerk")
    assert client.post(card_url(inspector.person)).status_code == 405
    with district_context("vaishali"):
        assert not AuditEvent.objects.filter(action="person.view").exists()
