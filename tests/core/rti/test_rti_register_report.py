"""The monthly RTI register report on a fixed set of dated applications (March 2025): carried
over, received, disposed of, pending, replied late, deemed refused, first appeals; only the
offices and applications the viewer may see; the page, CSV and PDF, each read audited."""

import datetime
import io

import pypdf
import pytest

from core.base.access import viewer_for
from core.models import AuditEvent, RtiApplication
from core.rti.selectors.report import rti_register_report
from tenants.context import district_context
from tests.core.rti.test_rti_receive import receive
from tests.core.rti.test_rti_reply import rejection, reply
from tests.helpers import HostClient

D = datetime.date


def dated_applications(ef) -> dict[str, RtiApplication]:
    """The set the figures are checked on (inside Vaishali's context)."""
    apps = {
        "A": receive(ef, received_on=D(2025, 2, 10), applicant_name="A unanswered"),  # deemed refused 13 Mar
        "B": receive(ef, received_on=D(2025, 2, 20), applicant_name="B on time"),
        "C": receive(ef, received_on=D(2025, 3, 3), applicant_name="C rejected"),
        "D": receive(ef, received_on=D(2025, 3, 5), applicant_name="D transferred"),
        "E": receive(ef, received_on=D(2025, 3, 20), applicant_name="=E pending"),
        "F": receive(ef, received_on=D(2025, 1, 5), applicant_name="F appealed"),
        "G": receive(ef, received_on=D(2025, 1, 25), applicant_name="G late"),
        "H": receive(ef, received_on=D(2025, 4, 2), applicant_name="H April"),
        "M": receive(
            ef,
            "sdpoclerk",
            office=ef.offices["ef-sdpo-mahua"],
            pio_post=ef.posts["sdpo"],
            received_on=D(2025, 3, 11),
            applicant_name="M Mahua",
        ),
    }
    reply(ef, apps["B"], replied_on=D(2025, 3, 5))
    reply(ef, apps["C"], replied_on=D(2025, 3, 10), **rejection())
    reply(ef, apps["F"], replied_on=D(2025, 2, 20))
    reply(ef, apps["G"], replied_on=D(2025, 3, 3))  # due 24 February: late
    # Transfers and appeals are the register's other use cases; the dates are what the report reads.
    RtiApplication.objects.filter(pk=apps["D"].pk).update(
        status=RtiApplication.Status.TRANSFERRED, transferred_on=D(2025, 3, 7), transferred_to="DM Vaishali"
    )
    RtiApplication.objects.filter(pk=apps["F"].pk).update(
        appeal_received_on=D(2025, 3, 2), appeal_decided_on=D(2025, 3, 25)
    )
    return apps


SP_OFFICE_MARCH = {
    "carried_over": 3,  # A, B, G (F was answered in February)
    "received": 3,  # C, D, E
    "replied": 2,  # B, G
    "rejected": 1,  # C
    "transferred": 1,  # D
    "disposed": 4,
    "pending": 2,  # A, E
    "replied_late": 1,  # G
    "deemed_refused": 1,  # A, from 13 March
    "appeals_received": 1,  # F
    "appeals_decided": 1,  # F
}


def test_the_months_figures_per_office(ef):
    with district_context("vaishali"):
        apps = dated_applications(ef)
        report = rti_register_report(viewer_for(ef.people["clerk"]), year=2025, month=3)
        [sp_office] = report.offices
        assert sp_office.office == ef.offices["sp-office"]
        assert sp_office.figures == SP_OFFICE_MARCH
        f = sp_office.figures
        assert f["carried_over"] + f["received"] - f["disposed"] == f["pending"]
        assert [row.application.pk for row in report.rows] == [apps[k].pk for k in ("C", "D", "E")]
        assert report.rows[0].due_on == D(2025, 4, 2) and report.rows[0].disposed_on == D(2025, 3, 10)
        # The SP sees the SDPO office's application too, as its own office row.
        report = rti_register_report(viewer_for(ef.people["sp"]), year=2025, month=3)
        figures = {entry.office.code: entry.figures for entry in report.offices}
        assert figures["sp-office"] == SP_OFFICE_MARCH
        assert figures["ef-sdpo-mahua"]["received"] == figures["ef-sdpo-mahua"]["pending"] == 1
        assert report.totals["received"] == 4
        # April: what was pending at March's end is carried over.
        april = rti_register_report(viewer_for(ef.people["clerk"]), year=2025, month=4)
        assert april.offices[0].figures["carried_over"] == 2 and april.offices[0].figures["received"] == 1
        # February: A and B received, F answered late (due 4 February), G deemed refused on 25 Feb.
        february = rti_register_report(viewer_for(ef.people["clerk"]), year=2025, month=2).offices[0].figures
        assert (february["received"], february["replied"], february["replied_late"]) == (2, 1, 1)
        assert february["deemed_refused"] == 2  # F (from 5 Feb) and G (from 25 Feb)


def test_the_page_csv_and_pdf_show_the_month_and_each_read_is_audited(ef):
    with district_context("vaishali"):
        apps = dated_applications(ef)
    clerk = ef.client("clerk")
    page = clerk.get("/rti/register/2025/3/")
    text = page.content.decode()
    assert page.status_code == 200 and apps["C"].number in text and apps["A"].number not in text
    assert "M Mahua" not in text and "Pending at month end" in text
    csv_response = clerk.get("/rti/register/2025/3/register.csv")
    assert (
        csv_response["Content-Type"].startswith("text/csv")
        and "attachment" in csv_response["Content-Disposition"]
    )
    body = csv_response.content.decode("utf-8")
    assert body.startswith("\ufeff") and apps["D"].number in body
    assert "'=E pending" in body  # a name that looks like a formula stays text
    assert "SP office" in body or "Vaishali" in body
    pdf = clerk.get("/rti/register/2025/3/register.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    pdf_text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert apps["E"].number in pdf_text
    with district_context("vaishali"):
        events = AuditEvent.objects.filter(action="rti.register_report").order_by("id")
        assert [event.details["format"] for event in events] == ["page", "csv", "pdf"]
        assert events[0].details["rows"] == 3 and events[0].post_id == ef.posts["clerk"].pk


def test_the_month_picker_goes_to_the_month_and_refuses_bad_months(ef):
    clerk = ef.client("clerk")
    assert clerk.get("/rti/register/?month=2025-03")["Location"] == "/rti/register/2025/3/"
    assert clerk.get("/rti/register/").status_code == 302
    for bad in ("2025-13", "abc", "2004-01", "9999-01", "\x00"):
        response = clerk.get("/rti/register/", {"month": bad})
        assert response.status_code == 200, bad
        assert "month" in response.content.decode()
    for url in (
        "/rti/register/2025/13/",
        "/rti/register/2025/0/",
        "/rti/register/9999/1/",
        "/rti/register/2004/12/",
    ):
        assert clerk.get(url).status_code == 404, url


@pytest.mark.parametrize("suffix", ["", "register.csv", "register.pdf"])
def test_outsiders_see_nothing_of_the_districts_applications(ef, suffix):
    with district_context("vaishali"):
        apps = dated_applications(ef)
    url = f"/rti/register/2025/3/{suffix}"
    assert HostClient("vaishali").get(url).status_code == 404  # anonymous
    for key in ("mahnar", "si", "other"):  # same district without access; another district's officer
        response = ef.client(key)
        body = response.get(url).content
        text = (
            body.decode("utf-8", "replace")
            if suffix != "register.pdf"
            else "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(body)).pages)
        )
        for app in apps.values():
            assert app.number not in text, (key, app.number)
