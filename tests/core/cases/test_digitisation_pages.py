"""The digitisation pages: uploading a batch and following it (a page that refreshes itself while
it runs, the report as a table and as CSV), the targets page, the quality-check queue; every read
audited; 404 for whoever may not see a batch or a case (the anonymous, another district's officer)."""

import pytest

from core.models import AuditEvent, CaseDigitisation, DigitisationBatch, DigitisationTarget, Document
from tenants.context import district_context
from tests.core.cases.test_digitisation import make_manifest, make_zip, old_cases, run  # noqa: F401
from tests.core.efile import samples
from tests.core.efile.samples import upload
from tests.helpers import HostClient, sign_in_refused


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _post_batch(client, rows, files=None):
    files = files if files is not None else {"a.pdf": samples.pdf_bytes()}
    return client.post(
        "/cases/digitisation/batches/",
        {
            "zip": upload("scans.zip", make_zip(files)),
            "manifest": upload("manifest.csv", make_manifest(rows)),
        },
    )


def events(action):
    with district_context("vaishali"):
        return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_a_batch_uploaded_on_the_page_is_followed_until_done_with_its_report(ef, old_cases):
    si = ef.client("si")
    page = si.get("/cases/digitisation/batches/").content.decode()
    assert "thana_code, year, fir_number, file" in page and "PSMAH,2009,45" in page
    rows = [
        ["PSMAH", "2009", "10", "a.pdf", "FIR"],
        ["PSMAH", "2009", "77", "a.pdf", ""],
        ["=cmd", "2009", "1", "x", ""],
    ]
    response = _post_batch(si, rows)
    with district_context("vaishali"):
        batch = DigitisationBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/digitisation/batches/{batch.pk}/"
    waiting = si.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in waiting and "0 / 3" in waiting
    run(batch)
    done = ef.client("sdpo").get(f"/cases/digitisation/batches/{batch.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in done and "Done" in done
    assert (
        "Case 77/2009 of this thana is not in the register" in done and "No thana has the code =cmd." in done
    )
    report = ef.client("sdpo").get(f"/cases/digitisation/batches/{batch.pk}/report.csv")
    assert report.status_code == 200 and report["Content-Type"].startswith("text/csv")
    lines = report.content.decode("utf-8-sig").splitlines()
    assert (
        len(lines) == 3
        and lines[1].startswith("3,PSMAH,2009,77,a.pdf,")
        and lines[2].startswith("4,'=cmd,2009,1,x,")
    )
    assert [e.post_id for e in events("digitisation.batch_view")] == [ef.posts["si"].pk, ef.posts["sdpo"].pk]
    assert [e.post_id for e in events("digitisation.report_download")] == [ef.posts["sdpo"].pk]
    with district_context("vaishali"):
        assert Document.objects.filter(case=old_cases[10]).count() == 1


def test_a_corrupt_zip_or_a_manifest_without_columns_is_refused_on_the_page(ef, old_cases, media):
    si = ef.client("si")
    bad_zip = si.post(
        "/cases/digitisation/batches/",
        {
            "zip": upload("s.zip", b"PK\x03\x04 broken"),
            "manifest": upload("m.csv", make_manifest([["PSMAH", "2009", "10", "a.pdf", ""]])),
        },
    )
    assert bad_zip.status_code == 200 and "damaged or is not a zip" in bad_zip.content.decode()
    no_columns = si.post(
        "/cases/digitisation/batches/",
        {
            "zip": upload("s.zip", make_zip({"a.pdf": samples.pdf_bytes()})),
            "manifest": upload("m.csv", b"case,file\n1,a.pdf\n"),
        },
    )
    assert no_columns.status_code == 200 and "lacks the columns" in no_columns.content.decode()
    assert si.post("/cases/digitisation/batches/", {}).status_code == 200
    with district_context("vaishali"):
        assert not DigitisationBatch.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_batch_pages_are_404_to_whoever_may_not_follow_them(ef, old_cases, world):
    _post_batch(ef.client("si"), [["PSMAH", "2009", "10", "a.pdf", ""]])
    with district_context("vaishali"):
        batch = DigitisationBatch.objects.get()
    urls = [f"/cases/digitisation/batches/{batch.pk}/", f"/cases/digitisation/batches/{batch.pk}/report.csv"]
    outsiders = {key: ef.client(key) for key in ("clerk", "pio", "mahnar", "sdpoclerk", "other")}
    outsiders["anonymous"] = HostClient("vaishali")
    for who, client in outsiders.items():
        for url in urls:
            assert client.get(url).status_code == 404, (who, url)
    assert ef.client("sp").get(urls[0]).status_code == 200
    for url in ("/cases/digitisation/batches/0/", "/cases/digitisation/batches/99999999999999999999/"):
        assert ef.client("sp").get(url).status_code == 404
    assert len(events("digitisation.batch_view")) == 1
    assert "scans.zip" not in ef.client("mahnar").get("/cases/digitisation/batches/").content.decode()
    assert sign_in_refused(HostClient("vaishali").sign_in(ef.people["other"].login_id))


def test_the_queue_lets_a_second_person_check_or_send_back_and_refuses_the_digitiser(ef, old_cases):
    _post_batch(ef.client("si"), [["PSMAH", "2009", "10", "a.pdf", ""], ["PSMAH", "2009", "11", "a.pdf", ""]])
    with district_context("vaishali"):
        run(DigitisationBatch.objects.get())
    case10, case11 = old_cases[10], old_cases[11]
    si_queue = ef.client("si").get("/cases/digitisation/checks/").content.decode()
    assert case10.label in si_queue and "Digitised by you" in si_queue
    assert case10.label not in ef.client("mahnar").get("/cases/digitisation/checks/").content.decode()
    url = f"/cases/digitisation/checks/{case10.pk}/"
    refused = ef.client("si").post(url, {"decision": "check"}, follow=True).content.decode()
    assert "second person" in refused
    for who, client in {"mahnar": ef.client("mahnar"), "anonymous": HostClient("vaishali")}.items():
        assert client.post(url, {"decision": "check"}).status_code == 404, who
    assert ef.client("sho").get(url).status_code == 405
    sho = ef.client("sho")
    assert sho.post(url, {"decision": "check", "remarks": "Good."}).status_code == 302
    no_remark = sho.post(f"/cases/digitisation/checks/{case11.pk}/", {"decision": "send_back"}, follow=True)
    assert "This field is required." in no_remark.content.decode()
    sho.post(f"/cases/digitisation/checks/{case11.pk}/", {"decision": "send_back", "remarks": "Blurred."})
    assert sho.post(url, {"decision": "nonsense"}).status_code == 302
    with district_context("vaishali"):
        statuses = dict(CaseDigitisation.objects.values_list("case_id", "status"))
    assert statuses == {case10.pk: "checked", case11.pk: "sent_back"}
    queue = ef.client("si").get("/cases/digitisation/checks/").content.decode()
    assert "Blurred." in queue
    ef.client("si").post(f"/cases/digitisation/checks/{case11.pk}/", {"decision": "mark"})
    with district_context("vaishali"):
        assert CaseDigitisation.objects.get(case=case11).status == "digitised"
    assert len(events("digitisation.queue_view")) == 5  # each page shown, refusals' pages too


def test_the_overview_shows_figures_and_a_supervisor_sets_a_target_on_it(ef, old_cases):
    mahua = ef.offices["ef-thana-mahua"]
    sho = ef.client("sho")
    assert "Set a thana" not in sho.get("/cases/digitisation/").content.decode()
    sho.post("/cases/digitisation/target/", {"thana": mahua.pk, "target": "10"})
    sdpo = ef.client("sdpo")
    assert "Set a thana" in sdpo.get("/cases/digitisation/").content.decode()
    for bad in (
        {"thana": mahua.pk, "target": "0"},
        {"thana": "x", "target": "5"},
        {"thana": ef.offices["ef-thana-mahua"].pk, "target": "\x00"},
    ):
        assert sdpo.post("/cases/digitisation/target/", bad).status_code == 302
    with district_context("vaishali"):
        assert not DigitisationTarget.objects.exists()
    assert sdpo.post("/cases/digitisation/target/", {"thana": mahua.pk, "target": "4"}).status_code == 302
    _post_batch(ef.client("si"), [["PSMAH", "2009", "10", "a.pdf", ""]])
    with district_context("vaishali"):
        run(DigitisationBatch.objects.get())
    page = sdpo.get("/cases/digitisation/").content.decode()
    assert "25%" in page and "Mahua" in page
    assert "Mahua" not in ef.client("mahnar").get("/cases/digitisation/").content.decode()
    assert HostClient("vaishali").get("/cases/digitisation/").status_code == 302
    assert "/cases/digitisation/" in ef.client("sho").get("/cases/").content.decode()
    assert len(events("digitisation.view")) == 4
