"""The outage pages: who may declare, see, print and back-enter (404 for another district's
outage, for an office the outage does not cover, without a posting, signed out); the marks on the
inbox, dak list, receipt, file and track; bad input refused on the form with nothing written."""

import datetime
import io

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from core.models import AuditEvent, BackEntry, Outage, Receipt
from core.outage.services import outage_declare
from tenants.context import district_context
from tests.core.outage.conftest import admin_actor, ago, file_from_before
from tests.helpers import HostClient

pytestmark = pytest.mark.django_db

FORMAT = "%Y-%m-%dT%H:%M"


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime(FORMAT)


def _outage(ef, office="ef-sdpo-mahua", **extra) -> Outage:
    with district_context("vaishali"):
        return outage_declare(
            actor=admin_actor(),
            office=ef.offices[office] if office else None,
            started_at=extra.pop("started_at", ago(hours=6)),
            diary_count=4,
            slip_count=2,
            **extra,
        )


def _admin() -> HostClient:
    client = HostClient("vaishali")
    client.sign_in("vaishali.admin")
    return client


def _png(name="page.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def _first(outage, kind):
    with district_context("vaishali"):
        return outage.numbers.filter(kind=kind, used_at__isnull=True).order_by("serial").first().number


def test_admin_declares_from_the_page_and_prints_both_registers(ef):
    admin = _admin()
    assert admin.get("/outages/").status_code == 200
    assert admin.get("/outages/declare/").status_code == 200
    with district_context("vaishali"):
        office = ef.offices["ef-sdpo-mahua"].pk
    response = admin.post(
        "/outages/declare/",
        {
            "office": office,
            "started_at": _local(ago(hours=2)),
            "reason": "Fibre cut",
            "diary_count": 3,
            "slip_count": 2,
        },
    )
    assert response.status_code == 302
    with district_context("vaishali"):
        outage = Outage.objects.get(reason="Fibre cut")
        numbers = list(outage.numbers.values_list("number", flat=True))
    page = admin.get(f"/outages/{outage.pk}/")
    assert page.status_code == 200 and b"Fibre cut" in page.content
    for kind in ("diary", "slip"):
        pdf = admin.get(f"/outages/{outage.pk}/register/{kind}.pdf")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
    assert len(numbers) == 5
    with district_context("vaishali"):
        assert AuditEvent.objects.filter(action="outage.register", target_id=str(outage.pk)).count() == 2
        assert AuditEvent.objects.filter(action="outage.view", target_id=str(outage.pk)).count() == 1
    assert admin.get(f"/outages/{outage.pk}/register/other.pdf").status_code == 404


def test_declare_page_refuses_bad_input_on_the_form(ef):
    admin = _admin()
    for data in (
        {
            "started_at": _local(timezone.now() + datetime.timedelta(hours=3)),
            "diary_count": 3,
            "slip_count": 2,
        },
        {"started_at": "yesterday-ish", "diary_count": 3, "slip_count": 2},
        {"started_at": _local(ago(hours=1)), "diary_count": -4, "slip_count": 2},
        {"started_at": _local(ago(hours=1)), "diary_count": 3, "slip_count": 2, "office": 999999},
    ):
        response = admin.post("/outages/declare/", data)
        assert response.status_code == 200, data
        assert b"errorlist" in response.content
    with district_context("vaishali"):
        assert not Outage.objects.exists()


def test_only_the_admin_or_sp_may_declare_or_end(ef):
    outage = _outage(ef)
    for key in ("sdpo", "clerk", "sdpoclerk"):
        client = ef.client(key)
        assert client.get("/outages/declare/").status_code == 403
        assert (
            client.post(
                "/outages/declare/", {"started_at": _local(ago(hours=1)), "diary_count": 1, "slip_count": 1}
            ).status_code
            == 403
        )
    clerk = ef.client("sdpoclerk")
    assert clerk.post(f"/outages/{outage.pk}/end/", {"ended_at": _local(ago(hours=1))}).status_code == 403
    sp = ef.client("sp")
    assert sp.get("/outages/declare/").status_code == 200
    assert sp.post(f"/outages/{outage.pk}/end/", {"ended_at": _local(ago(hours=1))}).status_code == 302
    with district_context("vaishali"):
        assert Outage.objects.count() == 1
        assert Outage.objects.get().ended_at is not None
        assert AuditEvent.objects.filter(action="outage.end").count() == 1


def test_other_district_other_office_no_posting_and_signed_out_get_404(ef, world):
    outage = _outage(ef)
    urls = [
        f"/outages/{outage.pk}/",
        f"/outages/{outage.pk}/register/diary.pdf",
        f"/outages/{outage.pk}/back-entry/dak/",
        f"/outages/{outage.pk}/back-entry/note/",
        f"/outages/{outage.pk}/back-entry/movement/",
    ]
    number = _first(outage, "diary")
    # Muzaffarpur's clerk on their own host: the id names nothing there.
    other = ef.client("other")
    for url in urls:
        assert other.get(url).status_code == 404, url
    assert other.post(f"/outages/{outage.pk}/end/", {"ended_at": _local(ago(hours=1))}).status_code == 404
    # Mahnar's SDPO: the outage is Mahua's office's, not theirs.
    mahnar = ef.client("mahnar")
    for url in urls:
        response = mahnar.get(url)
        assert response.status_code == 404, url
        assert number.encode() not in response.content
    assert number.encode() not in mahnar.get("/outages/").content
    # No posting anywhere, and Muzaffarpur's clerk on Vaishali's host: kept out.
    for login in (world.unposted.login_id, ef.people["other"].login_id):
        client = HostClient("vaishali")
        client.sign_in(login)
        for url in [*urls, "/outages/"]:
            response = client.get(url)
            assert response.status_code in (302, 403, 404), (login, url)
            assert number.encode() not in response.content
    anonymous = HostClient("vaishali")
    for url in urls:
        assert anonymous.get(url).status_code == 404, url
    assert number.encode() not in anonymous.get("/outages/").content
    with district_context("vaishali"):
        assert not BackEntry.objects.exists()


def test_officer_back_enters_dak_with_scan_and_the_marks_show(ef):
    outage = _outage(ef)
    number = _first(outage, "diary")
    true_time = ago(hours=5)
    clerk = ef.client("sdpoclerk")
    assert clerk.get(f"/outages/{outage.pk}/back-entry/dak/").status_code == 200
    response = clerk.post(
        f"/outages/{outage.pk}/back-entry/dak/",
        {
            "number": number,
            "occurred_at": _local(true_time),
            "mode": "post",
            "sender": "DM Vaishali",
            "subject": "Flood duty roster",
            "scans": [_png()],
        },
    )
    assert response.status_code == 302, response.content[:3000]
    with district_context("vaishali"):
        receipt = Receipt.objects.get(diary_number=number)
        assert receipt.back_entered_at and receipt.documents.count() == 1
    page = clerk.get(f"/dak/{receipt.pk}/").content.decode()
    # Both times in the district's time, as every other time on the page.
    shown = date_format(timezone.localtime(true_time).replace(second=0, microsecond=0), "DATETIME_FORMAT")
    assert f"back-entered (true time {shown}, entered " in page
    inbox = clerk.get("/inbox/").content.decode()
    assert number in inbox and "back-entered (true time" in inbox
    report = clerk.get(f"/outages/{outage.pk}/").content.decode()
    assert number in report and "dak 1, notes 0, movements 0" in report
    register = clerk.get("/dak/register/inward/").content.decode()
    assert number in register and "back-entered (true time" in register


def test_back_entry_refusals_are_shown_and_nothing_is_written(ef):
    outage = _outage(ef, started_at=ago(hours=6))
    number = _first(outage, "diary")
    clerk = ef.client("sdpoclerk")
    base = {"number": number, "mode": "post", "sender": "S", "subject": "T"}
    for data, message in (
        ({"occurred_at": _local(ago(hours=8))}, "cannot be dated before"),
        ({"occurred_at": _local(timezone.now() + datetime.timedelta(hours=2))}, "cannot be in the future"),
        ({"occurred_at": "not a time"}, "errorlist"),
        ({"occurred_at": _local(ago(hours=5)), "number": "SDPOMAH/1999/000001"}, "not a number reserved"),
        (
            {"occurred_at": _local(ago(hours=5)), "number": "<script>alert(1)</script>"},
            "not a number reserved",
        ),
        ({"occurred_at": _local(ago(hours=5)), "post": "999999"}, "errorlist"),
    ):
        response = clerk.post(f"/outages/{outage.pk}/back-entry/dak/", base | data)
        assert response.status_code == 200, data
        assert message in response.content.decode(), data
        assert b"<script>alert(1)</script>" not in response.content
    with district_context("vaishali"):
        assert not Receipt.objects.filter(back_entered_at__isnull=False).exists()
        assert not BackEntry.objects.exists()


def test_note_and_movement_back_entered_from_the_pages_show_on_file_and_track(ef):
    outage = _outage(ef, started_at=ago(days=2))
    with district_context("vaishali"):
        file = file_from_before(ef, "sdpoclerk", days=3)
        to_post = ef.posts["sdpo"].pk
    clerk = ef.client("sdpoclerk")
    response = clerk.post(
        f"/outages/{outage.pk}/back-entry/note/",
        {"file": file.pk, "occurred_at": _local(ago(days=1)), "body": "Seen; put up to SDPO."},
    )
    assert response.status_code == 302, response.content[:2000]
    slip = _first(outage, "slip")
    response = clerk.post(
        f"/outages/{outage.pk}/back-entry/movement/",
        {
            "item": f"f{file.pk}",
            "to_post": to_post,
            "number": slip,
            "occurred_at": _local(ago(hours=20)),
            "remarks": "for orders",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    sdpo = ef.client("sdpo")
    for url in (f"/files/{file.pk}/", f"/files/{file.pk}/track/", "/inbox/"):
        assert "back-entered (true time" in sdpo.get(url).content.decode(), url
    report = clerk.get(f"/outages/{outage.pk}/").content.decode()
    assert "dak 0, notes 1, movements 1" in report
    # The same slip again: refused on the form.
    response = sdpo.post(
        f"/outages/{outage.pk}/back-entry/movement/",
        {
            "item": f"f{file.pk}",
            "to_post": ef.posts["sdpoclerk"].pk,
            "number": slip,
            "occurred_at": _local(ago(hours=10)),
        },
    )
    assert response.status_code == 200 and "already been back-entered" in response.content.decode()


def test_a_forged_file_or_post_choice_finds_nothing(ef):
    outage = _outage(ef)
    with district_context("vaishali"):
        elsewhere = file_from_before(ef, "clerk", days=1)  # at the SP office, not the clerk's desk
    clerk = ef.client("sdpoclerk")
    response = clerk.post(
        f"/outages/{outage.pk}/back-entry/note/",
        {"file": elsewhere.pk, "occurred_at": _local(ago(hours=2)), "body": "x"},
    )
    assert response.status_code == 200 and b"errorlist" in response.content
    response = clerk.post(
        f"/outages/{outage.pk}/back-entry/movement/",
        {
            "item": f"f{elsewhere.pk}",
            "to_post": ef.posts["sdpo"].pk,
            "number": _first(outage, "slip"),
            "occurred_at": _local(ago(hours=2)),
        },
    )
    assert response.status_code == 200 and b"errorlist" in response.content
    with district_context("vaishali"):
        assert not BackEntry.objects.exists()


def test_a_refused_scan_leaves_no_dak_and_the_number_free(ef):
    from django.core.files.uploadedfile import SimpleUploadedFile

    outage = _outage(ef)
    number = _first(outage, "diary")
    fake = SimpleUploadedFile("register.png", b"MZ\x90\x00 not an image at all", content_type="image/png")
    response = ef.client("sdpoclerk").post(
        f"/outages/{outage.pk}/back-entry/dak/",
        {
            "number": number,
            "occurred_at": _local(ago(hours=2)),
            "mode": "post",
            "sender": "S",
            "subject": "T",
            "scans": [fake],
        },
    )
    assert response.status_code == 200 and b"errorlist" in response.content
    with district_context("vaishali"):
        assert not Receipt.objects.filter(diary_number=number).exists()
        assert outage.numbers.get(number=number).used_at is None
        assert not BackEntry.objects.exists()


def _png_bytes() -> bytes:
    return _png().read()


def test_a_scan_sent_by_resumable_upload_is_attached_to_the_back_entered_dak(ef):
    import hashlib

    from tests.core.efile import samples
    from tests.core.uploads.tus_client import upload_whole

    outage = _outage(ef)
    number = _first(outage, "diary")
    clerk = ef.client("sdpoclerk")
    scan = samples.pdf_bytes(1)  # a PDF is stored as sent (an image is redrawn)
    upload_id = upload_whole(clerk, scan, name="register-page.pdf")
    response = clerk.post(
        f"/outages/{outage.pk}/back-entry/dak/",
        {
            "number": number,
            "occurred_at": _local(ago(hours=3)),
            "mode": "post",
            "sender": "DM Vaishali",
            "subject": "Scan sent through the resumable upload",
            "resumable-scans": upload_id,
        },
    )
    assert response.status_code == 302, response.content[:2000]
    with district_context("vaishali"):
        receipt = Receipt.objects.get(diary_number=number)
        document = receipt.documents.get()
        assert document.versions.get().sha256 == hashlib.sha256(scan).hexdigest()


def test_a_resumable_upload_used_already_refuses_the_back_entry_and_keeps_the_number_free(ef):
    from tests.core.uploads.tus_client import upload_whole

    outage = _outage(ef)
    clerk = ef.client("sdpoclerk")
    upload_id = upload_whole(clerk, _png_bytes(), name="p.png")
    url = f"/outages/{outage.pk}/back-entry/dak/"
    fields = {"occurred_at": _local(ago(hours=3)), "mode": "post", "sender": "S", "subject": "T"}
    first = _first(outage, "diary")
    assert clerk.post(url, {**fields, "number": first, "resumable-scans": upload_id}).status_code == 302
    second = _first(outage, "diary")
    again = clerk.post(url, {**fields, "number": second, "resumable-scans": upload_id})
    assert again.status_code == 200 and "no longer on the server" in again.content.decode()
    with district_context("vaishali"):
        assert not Receipt.objects.filter(diary_number=second).exists()
        assert outage.numbers.get(number=second).used_at is None


def test_a_back_entered_dak_carries_its_mark_in_the_search_results_and_a_live_one_does_not(ef):
    from core.search.index import search_index_rebuild

    outage = _outage(ef)
    number = _first(outage, "diary")
    clerk = ef.client("sdpoclerk")
    fields = {"mode": "post", "sender": "DM Vaishali"}
    response = clerk.post(
        f"/outages/{outage.pk}/back-entry/dak/",
        {**fields, "number": number, "occurred_at": _local(ago(hours=4)), "subject": "Zorawar flood roster"},
    )
    assert response.status_code == 302, response.content[:2000]
    with district_context("vaishali"):
        search_index_rebuild()
    page = clerk.get("/search/", {"q": "Zorawar"}).content.decode()
    assert number in page and "back-entered (true time" in page
    assert "back-entered" not in clerk.get("/search/", {"q": "rollout"}).content.decode()
