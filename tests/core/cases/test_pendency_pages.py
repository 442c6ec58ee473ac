"""The pendency report's page, CSV and PDF: what each viewer gets (SDPO Mahnar none of Mahua's
cases, another district none of Vaishali's, the anonymous sent to sign in), the CSV read back
with the csv module and its formula cells defused, the PDF a real PDF in the page's language,
an audit event for each read, and bad filters as form errors, never a 500."""

import csv
import io
import re

import pypdf
import pytest

from core.cases.services.register import case_register
from core.models import AuditEvent, Post
from core.org import services as core_services
from tenants.context import district_context
from tests.core.cases.casework import muzaffarpur_sho, second_thana
from tests.core.cases.test_pendency import TODAY, dated_case, days_ago, report
from tests.helpers import HostClient, sign_in_refused

URL = "/cases/pendency/"


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_pdf(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)


def events(**filters) -> list[AuditEvent]:
    with district_context("vaishali"):
        return list(AuditEvent.objects.filter(action="case.pendency_report", **filters).order_by("id"))


@pytest.fixture
def two_thanas(ef):
    """Mahua: a case 70 days old with no report (IO SI Mahua), one 10 days old; Lalganj (under
    SDPO Mahnar): a case 400 days old with no IO."""
    with district_context("vaishali"):
        lalganj = second_thana(ef)
        cases = {
            "mahua_old": dated_case(ef, 70),
            "mahua_new": dated_case(ef, 10),
            "lalganj": dated_case(ef, 400, thana=lalganj, io=""),
        }
    return lalganj, cases


def test_the_page_shows_counts_and_stale_cases_links_exports_and_is_recorded(ef, two_thanas):
    lalganj, cases = two_thanas
    response = ef.client("sp").get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mahua Thana" in page and "Lalganj Thana" in page and "Over a year" in page
    assert cases["mahua_old"].label in page and cases["lalganj"].label in page
    assert cases["mahua_new"].label not in page  # reported nothing for 10 days only: not stale
    assert f'href="/cases/{cases["mahua_old"].pk}/#progress"' in page
    assert "format=csv" in page and "format=pdf" in page
    [event] = events()
    assert event.post_id == ef.posts["sp"].pk
    assert event.details == {
        "format": "page",
        "as_on": TODAY.isoformat(),
        "thana": None,
        "status": "pending",
        "days": 30,
        "cases": 3,
        "stale": 2,
    }


def test_the_register_and_directions_pages_link_to_the_report(ef):
    for url in ("/cases/", "/cases/directions/"):
        assert f'href="{URL}"' in ef.client("sho").get(url).content.decode()


def test_the_csv_reads_back_with_the_counts_and_the_stale_cases(ef, two_thanas):
    lalganj, cases = two_thanas
    with district_context("vaishali"):
        report(ef, cases["mahua_old"], 40)
    rows = read_csv(ef.client("sp").get(URL, {"format": "csv", "days": "35"}))
    assert rows[0] == ["Pendency of cases"] and rows[1] == ["As on", TODAY.isoformat()]
    header = rows.index(
        [
            "Thana",
            "Status",
            "Under 60 days",
            "60–90 days",
            "90–180 days",
            "180–365 days",
            "Over a year",
            "Total",
        ]
    )
    assert rows[header + 1 : header + 6] == [
        ["Lalganj Thana", "Registered", "0", "0", "0", "0", "1", "1"],
        ["Lalganj Thana", "Total", "0", "0", "0", "0", "1", "1"],
        ["Mahua Thana", "Registered", "1", "1", "0", "0", "0", "2"],
        ["Mahua Thana", "Total", "1", "1", "0", "0", "0", "2"],
        ["All thanas", "Total", "1", "1", "0", "0", "1", "3"],
    ]
    stale = rows[
        rows.index(
            [
                "Thana",
                "Case",
                "Status",
                "Registered on",
                "Investigating officer",
                "Last progress report",
                "Days since",
            ]
        )
        + 1 :
    ]
    assert stale == [
        [
            "Lalganj Thana",
            cases["lalganj"].label,
            "Registered",
            days_ago(400).isoformat(),
            "not yet assigned",
            "none",
            "400",
        ],
        [
            "Mahua Thana",
            cases["mahua_old"].label,
            "Registered",
            days_ago(70).isoformat(),
            "SI Mahua",
            days_ago(40).isoformat(),
            "40",
        ],
    ]
    assert [event.details["format"] for event in events()] == ["csv"]
    assert events()[0].details["days"] == 35


def test_formula_cells_in_the_csv_are_defused(ef):
    with district_context("vaishali"):
        thana = ef.offices["ef-thana-mahua"]
        post = core_services.post_create(
            office=thana, code="ef-evil", title='=HYPERLINK("http://x")', kind=Post.Kind.SI
        )
        case_register(
            actor=ef.actor("sp"),
            thana=thana,
            year=days_ago(90).year,
            fir_number=9,
            registered_on=days_ago(90),
            sections="BNS 303(2)",
            io_post=post,
        )
    rows = read_csv(ef.client("sp").get(URL, {"format": "csv"}))
    assert any(row[4:5] == ['\'=HYPERLINK("http://x")'] for row in rows)
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_pdf_is_a_real_pdf_with_both_tables(ef, two_thanas):
    lalganj, cases = two_thanas
    response = ef.client("sp").get(URL, {"format": "pdf"})
    text = read_pdf(response)
    assert "Pendency of cases" in text and "Mahua" in text and "Lalganj" in text
    assert cases["lalganj"].label in text and "Over a year" in text
    assert "Printed by" in text and "SP Vaishali" in text
    assert response["Cache-Control"].count("no-store") == 1
    assert [event.details["format"] for event in events()] == ["pdf"]


def test_in_hindi_the_pdf_names_thanas_and_headings_in_hindi(ef, two_thanas):
    text = read_pdf(ef.client("sp").get(URL, {"format": "pdf"}, HTTP_ACCEPT_LANGUAGE="hi"))
    assert "महुआ थाना" in text and "लालगंज थाना" in text
    # The tables' column headings, in Hindi (bold text comes back from the PDF's glyph map with
    # control characters inside some conjuncts: left out before comparing).
    headings = re.sub(r"[\x00-\x09\x0b-\x1f]", "", text)
    assert "थाना स्थिति" in headings and "थाना कांड स्थिति" in headings
    assert "Mahua Thana" not in text
    page = ef.client("sp").get(URL, HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert "महुआ थाना" in page


def test_sdpo_mahnar_gets_none_of_mahuas_cases_on_page_csv_or_pdf(ef, two_thanas):
    lalganj, cases = two_thanas
    mahnar = ef.client("mahnar")
    page = mahnar.get(URL).content.decode()
    csv_text = "\n".join(",".join(row) for row in read_csv(mahnar.get(URL, {"format": "csv"})))
    pdf_text = read_pdf(mahnar.get(URL, {"format": "pdf"}))
    for shown in (page, csv_text, pdf_text):
        assert "Lalganj" in shown and cases["lalganj"].label in shown
        assert "Mahua" not in shown and cases["mahua_old"].label not in shown
    assert [event.post_id for event in events()] == [ef.posts["mahnar"].pk] * 3
    assert all(event.details["cases"] == 1 for event in events())


def test_asking_for_a_thana_the_viewer_may_not_see_is_a_form_error(ef, two_thanas):
    mahua = ef.offices["ef-thana-mahua"]
    for params in (
        {"thana": mahua.pk},
        {"thana": mahua.pk, "format": "csv"},
        {"thana": mahua.pk, "format": "pdf"},
    ):
        response = ef.client("mahnar").get(URL, params)
        page = response.content.decode()
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
        assert "Select a valid choice" in page and "PS case" not in page
    assert events() == []
    only_mahua = ef.client("sdpo").get(URL, {"thana": mahua.pk, "format": "csv"})
    assert "Lalganj" not in only_mahua.content.decode("utf-8-sig")
    assert events()[0].details["thana"] == mahua.code and events()[0].post_id == ef.posts["sdpo"].pk


def test_an_officer_who_sees_no_case_gets_an_empty_report(ef, two_thanas):
    for key in ("clerk", "pio", "sdpoclerk"):
        client = ef.client(key)
        page = client.get(URL).content.decode()
        assert "No cases to show." in page and "No such cases." in page and "PS case" not in page, key
        rows = read_csv(client.get(URL, {"format": "csv"}))
        assert ["All thanas", "Total", "0", "0", "0", "0", "0", "0"] in rows
        assert rows[-1][0] == "Thana"  # the stale list's header, and no case under it
    assert len(events()) == 6


def test_another_districts_officer_gets_none_of_vaishalis_cases(ef, two_thanas):
    lalganj, cases = two_thanas
    mzp_thana, mzp_actor = muzaffarpur_sho(ef)
    with district_context("muzaffarpur"):
        case_register(
            actor=mzp_actor,
            thana=mzp_thana,
            year=days_ago(70).year,
            fir_number=cases["mahua_old"].fir_number,
            registered_on=days_ago(70),
            sections="x",
        )
    other = ef.client("other")
    shown = [
        other.get(URL).content.decode(),
        other.get(URL, {"format": "csv"}).content.decode("utf-8-sig"),
        read_pdf(other.get(URL, {"format": "pdf"})),
    ]
    for text in shown:
        assert "Kanti" in text and "Mahua" not in text and "Lalganj" not in text
    # A Vaishali thana's id asked for on Muzaffarpur's host is not one of theirs.
    refused = other.get(URL, {"thana": lalganj.pk}).content.decode()
    assert "Select a valid choice" in refused and "Lalganj" not in refused
    # The Muzaffarpur officer cannot sign in on Vaishali's host at all (no posting there).
    visitor = HostClient("vaishali")
    assert sign_in_refused(visitor.sign_in(ef.people["other"].login_id))
    assert visitor.get(URL).status_code == 302
    assert events() == []
    with district_context("muzaffarpur"):
        assert AuditEvent.objects.filter(action="case.pendency_report").count() == 3


def test_anonymous_visitors_and_people_without_a_posting_are_sent_to_sign_in(ef, two_thanas, world):
    for params in ({}, {"format": "csv"}, {"format": "pdf"}):
        response = HostClient("vaishali").get(URL, params)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    nobody = HostClient("vaishali")
    assert sign_in_refused(nobody.sign_in("no.posting"))
    assert nobody.get(URL).status_code == 302
    assert events() == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"as_on": "2025-02-30"}, "Enter a valid date."),
        ({"as_on": "\x00"}, "Enter a valid date."),
        ({"as_on": "yesterday"}, "Enter a valid date."),
        ({"as_on": "9999-12-31"}, "cannot be in the future"),
        ({"as_on": "1899-12-31"}, "from the year 1900"),
        ({"days": "-1"}, "greater than or equal to 0"),
        ({"days": "thirty"}, "Enter a whole number."),
        ({"days": "99999999999999999999999"}, "less than or equal to 3650"),
        ({"days": "1.5"}, "Enter a whole number."),
        ({"thana": "abc"}, "Select a valid choice"),
        ({"thana": "99999999999999999999999"}, "Select a valid choice"),
        ({"thana": "\x00"}, "Select a valid choice"),
        ({"status": "nope"}, "Select a valid choice"),
    ],
)
def test_bad_filters_show_the_page_with_a_form_error_and_read_nothing(ef, two_thanas, params, message):
    for fmt in ("", "csv", "pdf"):
        response = ef.client("sp").get(URL, params | {"format": fmt})
        page = response.content.decode()
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html"), fmt
        assert message in page and "Correct the filters" in page and "PS case" not in page, fmt
    assert events() == []


def test_blank_filters_take_the_defaults_and_an_unknown_format_is_the_page(ef, two_thanas):
    response = ef.client("sp").get(URL, {"as_on": "", "days": "", "status": "", "thana": "", "format": "xls"})
    page = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert f'value="{TODAY.isoformat()}"' in page and 'value="30"' in page
    assert [event.details["format"] for event in events()] == ["page"]


def test_a_long_stale_list_is_cut_on_the_page_and_pdf_but_whole_in_the_csv(ef, two_thanas, monkeypatch):
    from core.cases.views import pendency as pendency_views

    monkeypatch.setattr(pendency_views, "STALE_LIMIT", 1)
    sp = ef.client("sp")
    page = sp.get(URL).content.decode()
    assert "Only the first 1 are listed" in page and page.count("PS case") == 1
    assert "Only the first 1 are listed" in read_pdf(sp.get(URL, {"format": "pdf"}))
    rows = read_csv(sp.get(URL, {"format": "csv"}))
    assert sum("PS case" in row[1] for row in rows if len(row) > 1) == 2
    assert [event.details["stale"] for event in events()] == [1, 1, 2]
