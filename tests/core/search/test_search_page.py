"""The search page: grouped results with counts, highlights, paging and filters, a number that
jumps to its record, the box on every district page, bad input, who may use it, and the audit."""

from django.utils.html import escape

from core.models import AuditEvent
from core.search.index import search_index_rebuild
from tenants.context import district_context
from tests.core.search.conftest import dak
from tests.helpers import HostClient, sign_in_refused


def test_results_are_grouped_by_kind_with_counts_links_and_marks(ef, corpus):
    page = ef.client("sp").get("/search/", {"q": "mahua"})
    assert page.status_code == 200
    html = page.text
    for label in ("Dak (1)", "Files (2)", "Cases (1)"):
        assert label in html
    assert f'href="/dak/{corpus.receipt.pk}/"' in html and f'href="/cases/{corpus.case.pk}/"' in html
    assert f'href="/files/{corpus.file.pk}/"' in html
    assert "<mark>Mahua</mark>" in html and "<mark>महुआ</mark>" in html


def test_a_document_hit_links_to_its_download_and_to_its_file(ef, corpus):
    html = ef.client("clerk").get("/search/", {"q": "मोटरसाइकिल"}).text
    assert f'href="/documents/{corpus.document.pk}/download/"' in html
    assert f'href="/files/{corpus.file.pk}/"' in html
    assert "<mark>मोटरसाइकिल</mark>" in html


def test_the_page_is_in_hindi_too(ef, corpus):
    client = ef.client("sp")
    client.cookies["karyalay_language"] = "hi"
    html = client.get("/search/", {"q": "mahua"}).text
    assert "खोज" in html
    # the case's title as the case page shows it in Hindi
    assert f"थाना कांड संख्या 123/{corpus.year}" in html and "PS case" not in html


def test_an_exact_number_goes_straight_to_its_record_and_is_audited(ef, corpus):
    client = ef.client("sp")
    response = client.get("/search/", {"q": f"123/{corpus.year}"})
    assert response.status_code == 302 and response.url == f"/cases/{corpus.case.pk}/"
    assert client.get("/search/", {"q": corpus.rti.number}).url == f"/rti/{corpus.rti.pk}/"
    # With a filter the number lists its record instead.
    listed = client.get("/search/", {"q": f"123/{corpus.year}", "kind": "case"})
    assert listed.status_code == 200 and f'href="/cases/{corpus.case.pk}/"' in listed.text
    with district_context("vaishali"):
        event = AuditEvent.objects.filter(action="search.query").order_by("id").first()
    assert event.details["jumped_to"] == f"case:{corpus.case.pk}" and event.person_id == ef.people["sp"].pk
    assert event.post_id == ef.posts["sp"].pk


def test_every_search_is_audited_with_the_query_and_counts(ef, corpus):
    ef.client("clerk").get("/search/", {"q": "mahua", "kind": "receipt"})
    with district_context("vaishali"):
        event = AuditEvent.objects.get(action="search.query")
    assert event.details["q"] == "mahua" and event.details["counts"] == {"receipt": 1}
    assert event.details["filters"] == {"kind": "receipt"} and event.summary == "mahua"


def test_the_confidential_file_shows_nowhere_on_the_page(ef, corpus):
    html = ef.client("clerk").get("/search/", {"q": "Mahua"}).text
    assert "godown" not in html and corpus.secret.number not in html and "Files (1)" in html
    assert "Nothing you may see matches" in ef.client("clerk").get("/search/", {"q": "godown"}).text


def test_a_kind_pages_through_twenty_at_a_time(ef, corpus):
    with district_context("vaishali"):
        for n in range(22):
            dak(ef, subject=f"Patrolling report {n}", sender="Beat officer")
        search_index_rebuild()
    client = ef.client("clerk")
    everything = client.get("/search/", {"q": "patrolling"}).text
    assert "Dak (22)" in everything and everything.count("</mark> report") == 5
    assert "kind=receipt" in everything  # the link to all of them
    first = client.get("/search/", {"q": "patrolling", "kind": "receipt"}).text
    assert first.count("</mark> report") == 20 and "Page 1 of 2" in first
    second = client.get("/search/", {"q": "patrolling", "kind": "receipt", "page": "2"}).text
    assert second.count("</mark> report") == 2
    beyond = client.get("/search/", {"q": "patrolling", "kind": "receipt", "page": "99"})
    assert beyond.status_code == 200 and "Page 2 of 2" in beyond.text


def test_bad_input_gets_a_message_not_an_error(ef, corpus):
    client = ef.client("sp")
    for params, says in (
        ({"q": "mahua", "date_from": "2025-13-45"}, "Enter a valid date."),
        ({"q": "mahua", "date_from": "2025-02-01", "date_to": "2025-01-01"}, "cannot be before its start"),
        ({"q": "mahua", "kind": "spaceship"}, "Select a valid choice"),
        ({"q": "mahua", "office": "x"}, "Select a valid choice"),
        ({"q": "mahua", "page": "-3"}, "greater than or equal to 1"),
        ({"q": "x" * 500}, "at most 200 characters"),
    ):
        response = client.get("/search/", params)
        assert response.status_code == 200 and says in response.text, params
    with district_context("vaishali"):
        assert not AuditEvent.objects.filter(action="search.query").exists()
    for q in ("'", "%", "\\", "a:*", "!!", "&|", "( )", "<>"):
        assert client.get("/search/", {"q": q}).status_code == 200, q


def test_record_text_cannot_inject_markup(ef, corpus):
    with district_context("vaishali"):
        dak(ef, subject='<script>alert("x")</script> Mahua <img src=x onerror=alert(1)>')
        search_index_rebuild()
    html = ef.client("clerk").get("/search/", {"q": "alert"}).text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert escape("<script>") in html


def test_the_search_box_is_on_every_district_page_for_signed_in_officers(ef, corpus):
    assert 'action="/search/"' in ef.client("clerk").get("/inbox/").text
    assert 'action="/search/"' not in HostClient("vaishali").get("/accounts/login/").text


def test_anonymous_visitors_are_sent_to_sign_in(ef, corpus):
    response = HostClient("vaishali").get("/search/", {"q": "mahua"})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_person_without_a_posting_cannot_sign_in_or_search(ef, corpus, world):
    client = HostClient("vaishali")
    assert sign_in_refused(client.sign_in(world.unposted.login_id))  # as for a wrong password
    response = client.get("/search/", {"q": "mahua"})  # and signed out: no results, ever
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_an_officer_of_another_district_finds_only_their_own(ef, corpus):
    html = ef.client("other").get("/search/", {"q": "महुआ"}).text
    assert f'href="/dak/{corpus.other_receipt.pk}/"' in html and "Dak (1)" in html
    assert "Files (" not in html and "Cases (" not in html and "SPVAI" not in html
    # Vaishali's numbers mean nothing on Muzaffarpur's host.
    response = ef.client("other").get("/search/", {"q": corpus.file.number})
    assert response.status_code == 200 and "/files/" not in response.text.split("</form>")[-1]
