"""Dak pages through the browser's way in: diarise (and mark on), the receipt page and its
actions, and who gets a 404 for a receipt's URLs."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from core.efile.services.receipts import receipt_send
from core.models import AuditEvent, Document, Movement, Post, Receipt
from tenants.context import district_context
from tests.core.efile import samples
from tests.core.efile.filework import dak_of
from tests.core.efile.test_receipts import diarise, open_file
from tests.helpers import HostClient, sign_in_refused

TODAY = timezone.localdate()

LETTER = {
    "received_on": TODAY.isoformat(),
    "mode": "post",
    "sender": "पुलिस महानिरीक्षक, तिरहुत",
    "sender_address": "Muzaffarpur",
    "subject": "ई-ऑफिस प्रणाली लागू करने के संबंध में",
    "letter_date": (TODAY - datetime.timedelta(days=3)).isoformat(),
    "letter_reference": "IG/TRT/2025/77",
}


def _latest(district="vaishali"):
    with district_context(district):
        return Receipt.objects.order_by("-id").first()


def _counts():
    with district_context("vaishali"):
        return Receipt.objects.count(), Movement.objects.count(), AuditEvent.objects.count()


def test_clerk_diarises_a_letter_and_marks_it_to_the_sdpo_in_one_go(ef):
    clerk = ef.client("clerk")
    page = clerk.get("/dak/new/")
    assert page.status_code == 200 and 'name="subject"' in page.text
    assert "SDPO Mahua" in page.text  # the mark-to picker
    response = clerk.post(
        "/dak/new/", {**LETTER, "to_post": ef.posts["sdpo"].pk, "remarks": "For action", "due_on": ""}
    )
    receipt = _latest()
    assert response.status_code == 302 and response.url == f"/dak/{receipt.pk}/"
    assert receipt.diary_number == f"SPVAI/{TODAY.year}/000001"
    assert receipt.current_post_id == ef.posts["sdpo"].pk and receipt.letter_reference == "IG/TRT/2025/77"
    page = clerk.get(response.url)
    assert "Diarised as" in page.text and "Marked to SDPO Mahua" in page.text
    assert LETTER["subject"] in page.text and "For action" in page.text
    # The SDPO takes it in from the receipt page.
    sdpo = ef.client("sdpo")
    page = sdpo.get(response.url)
    assert "Take in" in page.text
    assert sdpo.post(f"/dak/{receipt.pk}/receive/").status_code == 302
    assert _latest().received_at is not None


def test_a_refused_mark_keeps_the_diarised_receipt_and_says_why(ef, monkeypatch):
    with district_context("vaishali"):
        Post.objects.filter(pk=ef.posts["sdpo"].pk).update(closed_on=TODAY)  # closed after the form loaded
    clerk = ef.client("clerk")
    # The picker no longer offers the closed post (nor the clerk's own): a form error, nothing diarised.
    before = _counts()
    for post in ("sdpo", "clerk"):
        response = clerk.post("/dak/new/", {**LETTER, "to_post": ef.posts[post].pk})
        assert response.status_code == 200 and "Select a valid choice" in response.text
    assert _counts() == before

    # The service refuses the mark (a post closed between the check and the mark): the receipt is
    # diarised and kept, and its page says why the mark failed.
    def refuse(**kwargs):
        raise ValidationError("The post SP Vaishali is closed.")

    monkeypatch.setattr("core.efile.views.dak.receipt_send", refuse)
    response = clerk.post("/dak/new/", {**LETTER, "to_post": ef.posts["sp"].pk, "remarks": "x"})
    receipt = _latest()
    assert response.status_code == 302 and response.url == f"/dak/{receipt.pk}/"
    assert receipt.current_post_id == ef.posts["clerk"].pk and receipt.status == "open"
    page = clerk.get(response.url)
    assert "Not marked: The post SP Vaishali is closed." in page.text and "Diarised as" in page.text


@pytest.mark.parametrize(
    "change, field",
    [
        ({"subject": ""}, "subject"),
        ({"subject": "a\x00b"}, "subject"),
        ({"received_on": "2025-02-30"}, "received_on"),
        ({"received_on": (TODAY + datetime.timedelta(days=2)).isoformat()}, "received_on"),
        ({"letter_date": (TODAY + datetime.timedelta(days=1)).isoformat()}, "letter_date"),
        ({"mode": "pigeon"}, "mode"),
        ({"to_post": "99999999999999999999"}, "to_post"),
        ({"to_post": "abc"}, "to_post"),
        ({"remarks": "no post chosen"}, "to_post"),
        ({"due_on": "1999-01-01", "to_post": "x"}, "due_on"),
        ({"post": "not-mine"}, "post"),
    ],
)
def test_bad_input_on_the_diarise_form_is_a_form_error_and_writes_nothing(ef, change, field):
    clerk = ef.client("clerk")
    before = _counts()
    response = clerk.post("/dak/new/", {**LETTER, **change})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert _counts() == before


def test_missing_fields_are_errors_not_500(ef):
    response = ef.client("clerk").post("/dak/new/", {})
    assert response.status_code == 200 and response.context["form"].errors


def test_someone_holding_two_posts_chooses_where_to_diarise(ef):
    from core.org import services as core_services

    with district_context("vaishali"):
        core_services.posting_start(
            person=ef.people["clerk"],
            post=ef.posts["mahnar"],
            ends_on=TODAY + datetime.timedelta(days=30),
            additional_charge=True,
        )
    clerk = ef.client("clerk")
    page = clerk.get("/dak/new/")
    assert 'name="post"' in page.text and "SDPO Mahnar (SDPO Office Mahnar)" in page.text
    assert clerk.post("/dak/new/", LETTER).status_code == 200  # which post? (form error)
    response = clerk.post("/dak/new/", {**LETTER, "post": ef.posts["mahnar"].pk})
    assert response.status_code == 302
    assert _latest().diary_number.startswith("SDPOMNR/")


def test_district_admin_alone_has_no_post_to_diarise_at(ef, world):
    admin = HostClient("vaishali")
    admin.sign_in("vaishali.admin")
    response = admin.get("/dak/new/")
    assert response.status_code == 403 and "No post to work at" in response.text


def test_receipt_actions_put_in_file_and_close(ef):
    with district_context("vaishali"):
        first, second, file = diarise(ef), diarise(ef), open_file(ef)
    clerk = ef.client("clerk")
    page = clerk.get(f"/dak/{first.pk}/")
    assert file.number in page.text  # offered in the file picker
    assert clerk.post(f"/dak/{first.pk}/attach/", {"file": file.pk}).status_code == 302
    assert _state(first) == ("attached", file.pk)
    page = clerk.get(f"/dak/{first.pk}/")
    assert f'href="/files/{file.pk}/"' in page.text and 'id="attach-form"' not in page.text
    assert first.diary_number in clerk.get(f"/files/{file.pk}/").text  # on the correspondence side
    response = clerk.post(f"/dak/{second.pk}/close/", {"remark": ""})
    assert response.status_code == 400 and "remark" in response.context["close_form"].errors
    assert clerk.post(f"/dak/{second.pk}/close/", {"remark": "Filed, no action"}).status_code == 302
    assert _state(second) == ("closed", None)
    page = clerk.get(f"/dak/{second.pk}/")
    assert "Filed, no action" in page.text and "Close the dak" not in page.text  # no actions once closed


def test_actions_refused_for_an_id_outside_my_files_or_bad_values(ef):
    with district_context("vaishali"):
        receipt, theirs = diarise(ef), open_file(ef, "sdpoclerk")
    clerk = ef.client("clerk")
    for data in ({"file": theirs.pk}, {"file": "abc"}, {"file": "9" * 30}, {}):
        response = clerk.post(f"/dak/{receipt.pk}/attach/", data)
        assert response.status_code == 400 and "file" in response.context["attach_form"].errors
    for data in ({"to_post": "abc"}, {}, {"to_post": ef.posts["sdpo"].pk, "due_on": "2020-13-01"}):
        response = clerk.post(f"/dak/{receipt.pk}/mark/", data)
        assert response.status_code == 400
    assert _state(receipt) == ("open", None)
    assert clerk.get(f"/dak/{receipt.pk}/close/").status_code == 405


def test_someone_who_sees_but_does_not_hold_gets_no_actions(ef):
    with district_context("vaishali"):
        receipt = diarise(ef)
    sp = ef.client("sp")
    page = sp.get(f"/dak/{receipt.pk}/")
    assert page.status_code == 200 and "Mark to a post" not in page.text
    response = sp.post(f"/dak/{receipt.pk}/close/", {"remark": "x"})
    # The service refuses (not at their post): the page again, as a 400, still offering nothing.
    assert response.status_code == 400 and not response.context["can_act"]
    assert "close_form" not in response.context
    assert f"Dak {receipt.diary_number} is not at your post." in response.text  # said above the page
    assert _state(receipt) == ("open", None)


def test_each_page_view_is_in_the_audit_trail(ef):
    with district_context("vaishali"):
        receipt = diarise(ef)
    ef.client("sp").get(f"/dak/{receipt.pk}/")
    with district_context("vaishali"):
        event = AuditEvent.objects.latest("id")
    assert (event.action, event.target_id, event.person_id) == (
        "receipt.view",
        str(receipt.pk),
        ef.people["sp"].pk,
    )


def _state(receipt):
    with district_context("vaishali"):
        receipt.refresh_from_db()
    return receipt.status, receipt.file_id


def _same_id_in_both(ef) -> tuple[Receipt, Receipt]:
    """A Vaishali receipt and a Muzaffarpur one with the same id."""
    with district_context("vaishali"):
        mine = diarise(ef, subject="Vaishali's own letter")
    with district_context("muzaffarpur"):
        with connection.cursor() as cursor:
            # Next id: mine's (is_called false, so this also works when mine is the first, id 1).
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('core_receipt', 'id'), %s, false)", [mine.pk]
            )
        theirs = dak_of(ef, "other", mode="hand", sender="x", subject="Muzaffarpur letter")
    assert mine.pk == theirs.pk
    return mine, theirs


ITEM_URLS = [
    "/dak/{id}/",
    "/dak/{id}/receive/",
    "/dak/{id}/mark/",
    "/dak/{id}/attach/",
    "/dak/{id}/new-file/",
    "/dak/{id}/close/",
]


def _scan():
    return {"files": [SimpleUploadedFile("scan.png", samples.image_bytes())]}


def test_nobody_without_access_gets_anything_for_a_receipt(ef, world, settings, tmp_path):
    settings.MEDIA_ROOT = media = tmp_path / "media"
    mine, theirs = _same_id_in_both(ef)
    with district_context("vaishali"):
        only_here = diarise(ef, subject="Only in Vaishali")
    outsiders = {"sho": ef.client("sho"), "mahnar": ef.client("mahnar"), "anonymous": HostClient("vaishali")}
    admin = HostClient("vaishali")
    admin.sign_in("vaishali.admin")
    outsiders["district admin"] = admin
    before = _counts()
    for who, client in outsiders.items():
        for url in ITEM_URLS:
            for receipt in (mine, only_here):
                for method in (client.get, client.post):
                    response = method(url.format(id=receipt.pk))
                    assert response.status_code == 404, (who, url, method)
                    assert "Vaishali's own letter" not in response.text
            # Nor may they add a scanned copy to it.
            response = client.post(f"/documents/receipt/{receipt.pk}/upload/", _scan())
            assert response.status_code == 404, (who, "upload")
    assert _counts()[:2] == before[:2]
    with district_context("vaishali"):
        assert not Document.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]  # no temporary upload left either
    # Another district's officer on their own host sees their own receipt with the same id only.
    other = ef.client("other")
    page = other.get(f"/dak/{mine.pk}/")
    assert page.status_code == 200 and "Muzaffarpur letter" in page.text and "Vaishali" not in page.text
    assert other.get(f"/dak/{only_here.pk}/").status_code == 404
    assert other.post(f"/dak/{only_here.pk}/close/", {"remark": "x"}).status_code == 404
    assert other.post(f"/documents/receipt/{only_here.pk}/upload/", _scan()).status_code == 404
    # Uploading to the shared id on their own host reaches their own receipt, never Vaishali's.
    assert other.post(f"/documents/receipt/{mine.pk}/upload/", _scan()).status_code == 302
    with district_context("muzaffarpur"):
        assert list(Document.objects.values_list("receipt_id", flat=True)) == [theirs.pk]
    with district_context("vaishali"):
        assert not Document.objects.exists()
    # ... and on Vaishali's host, like someone with no posting at all, cannot even sign in.
    for login in ("ef.other", "no.posting"):
        client = HostClient("vaishali")
        assert sign_in_refused(client.sign_in(login))
        response = client.get(f"/dak/{mine.pk}/")
        assert response.status_code == 404 and "Vaishali's own letter" not in response.text


def test_signed_in_person_whose_posting_is_gone_gets_the_gates_403(ef):
    from core.models import Posting

    with district_context("vaishali"):
        receipt = diarise(ef, subject="Vaishali's own letter")
    clerk = ef.client("clerk")
    assert clerk.get(f"/dak/{receipt.pk}/").status_code == 200
    with district_context("vaishali"):
        Posting.objects.filter(person=ef.people["clerk"]).update(starts_on=TODAY + datetime.timedelta(days=1))
    response = clerk.get(f"/dak/{receipt.pk}/")
    assert response.status_code == 403 and "Vaishali's own letter" not in response.text
    # The gate signed them out: from now on they are an anonymous visitor.
    assert clerk.post(f"/dak/{receipt.pk}/close/", {"remark": "x"}).status_code == 404
    assert _state(receipt) == ("open", None)


def test_ids_that_cannot_be_ids_are_404(ef):
    clerk = ef.client("clerk")
    for raw in ("0", "9223372036854775808", "99999999999999999999999"):
        assert clerk.get(f"/dak/{raw}/").status_code == 404
    assert clerk.get("/dak/abc/").status_code == 404
    assert clerk.get("/dak/%00/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in_for_the_forms(ef):
    anonymous = HostClient("vaishali")
    for url in ("/dak/new/", "/dak/outward/new/", "/dak/register/inward/", "/dak/register/outward/"):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_pages_read_in_hindi_with_names_in_devanagari(ef):
    with district_context("vaishali"):
        receipt = diarise(ef)
        receipt_send(actor=ef.actor("clerk"), receipt=receipt, to_post=ef.posts["sdpo"], remarks="देखें")
    sdpo = ef.client("sdpo")
    sdpo.cookies["karyalay_language"] = "hi"
    page = sdpo.get(f"/dak/{receipt.pk}/")
    assert page.status_code == 200 and 'lang="hi"' in page.text
    assert "एसडीपीओ कार्यालय महुआ" in page.text  # the post's office, and the picker's groups
    assert "देखें" in page.text
    for url in ("/dak/new/", "/dak/register/inward/", "/dak/register/outward/", "/dak/outward/new/"):
        assert sdpo.get(url).status_code == 200


def test_actions_need_the_csrf_token(ef):
    with district_context("vaishali"):
        receipt = diarise(ef)
    strict = HostClient("vaishali", enforce_csrf_checks=True)
    strict.cookies = ef.client("clerk").cookies
    assert strict.get(f"/dak/{receipt.pk}/").status_code == 200  # signed in on this client too
    assert strict.post(f"/dak/{receipt.pk}/close/", {"remark": "No action"}).status_code == 403
    assert strict.post("/dak/new/", LETTER).status_code == 403
    assert _state(receipt) == ("open", None)
