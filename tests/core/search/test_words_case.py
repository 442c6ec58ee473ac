"""A case asked for by its number the way officers say it: "case 45", "case no. 45", "कांड 45",
"45/2026" go to case 45 of the year when one visible case has it, list the cases of every thana
numbered so when several do, and give nothing of another district or to whom may not see them."""

import datetime

import pytest

from core.search.index import search_index_rebuild
from core.search.numbers import case_number
from tenants.context import district_context
from tests.core.cases.casework import register, second_thana

TODAY = datetime.date(2026, 12, 7)


@pytest.mark.parametrize(
    ("q", "number"),
    [
        ("case 45", "45/2026"),
        ("Case No. 45", "45/2026"),
        ("case no 45/2025", "45/2025"),
        ("case number 45", "45/2026"),
        ("FIR 45/25", "45/2025"),
        ("कांड 45", "45/2026"),
        ("कांड संख्या 45/2025", "45/2025"),
        ("कांड सं. 45", "45/2026"),
        ("केस 45", "45/2026"),
        ("ps case #45", "45/2026"),
        ("  case   45  ", "45/2026"),
    ],
)
def test_the_ways_officers_write_a_case_number(q, number):
    assert case_number(q, today=TODAY) == number


@pytest.mark.parametrize(
    "q", ["case", "45", "45/2026", "case 0", "case 45/1850", "case 45 mahua", "showcase 45", ""]
)
def test_what_is_not_a_case_number(q):
    assert case_number(q, today=TODAY) is None


def test_case_45_goes_to_case_45_of_this_year(ef, corpus):
    client = ef.client("sp")
    for q in ("case 123", "Case no. 123", "कांड 123", f"case 123/{corpus.year}", f"123/{corpus.year}"):
        response = client.get("/search/", {"q": q})
        assert response.status_code == 302 and response.url == f"/cases/{corpus.case.pk}/", q
    # last year's case 123 is not this year's
    assert client.get("/search/", {"q": f"case 123/{corpus.year - 1}"}).status_code == 200


def test_where_several_thanas_share_the_number_they_are_listed(ef, corpus):
    with district_context("vaishali"):
        lalganj = register(ef, "sp", thana=second_thana(ef), fir_number=123, year=corpus.year)
        search_index_rebuild()
    for q in ("case 123", "कांड 123"):
        page = ef.client("sp").get("/search/", {"q": q})
        assert page.status_code == 200, q
        assert f'href="/cases/{corpus.case.pk}/"' in page.text and f'href="/cases/{lalganj.pk}/"' in page.text
        assert f"Cases numbered 123/{corpus.year}" in page.text
    # The SDPO of Mahua sees only Mahua thana's case: it goes straight to it.
    response = ef.client("sdpo").get("/search/", {"q": "case 123"})
    assert response.status_code == 302 and response.url == f"/cases/{corpus.case.pk}/"


def test_a_case_number_gives_nothing_of_another_district_or_to_whom_may_not_see_it(ef, corpus):
    other = ef.client("other").get("/search/", {"q": "case 123"})
    assert other.status_code == 200 and f"/cases/{corpus.case.pk}/" not in other.text
    clerk = ef.client("clerk").get("/search/", {"q": "case 123"})  # the SP office's clerk
    assert clerk.status_code == 200 and f"/cases/{corpus.case.pk}/" not in clerk.text


def test_a_case_number_with_no_such_case_searches_the_words(ef, corpus):
    page = ef.client("sp").get("/search/", {"q": "case 999"})
    assert page.status_code == 200 and "Cases numbered" not in page.text
