"""The file pages over HTTP: open a file, the file page (and its view in the audit trail), notes,
drafts, particulars and the file register. Who gets 404: test_file_access.py."""

import pytest
from django.utils import timezone

from core.efile.services.drafts import draft_approve, draft_create
from core.efile.services.movement import file_close, file_park, file_receive, file_send
from core.efile.services.receipts import receipt_attach
from core.models import AuditEvent, Dispatch, Document, DocumentVersion, Draft, EFile, FileHead, Note
from tenants.context import district_context
from tests.core.efile.filework import LETTER, dak_of, open_file
from tests.helpers import HostClient

YEAR = timezone.localdate().year


def _gen_head_id() -> int:
    return FileHead.objects.get(code="GEN", office=None).pk


def test_clerk_opens_a_file_through_the_form_and_its_page_shows_it(ef):
    client = ef.client("clerk")
    with district_context("vaishali"):
        head_id = _gen_head_id()
    page = client.get("/files/new/")
    assert page.status_code == 200 and b"Dak clerk, SP office" in page.content
    response = client.post(
        "/files/new/",
        {
            "post": ef.posts["clerk"].pk,
            "head": head_id,
            "subject": "ई-ऑफिस: चरण 1",
            "category": "administration",
            "priority": "urgent",
            "confidentiality": "confidential",
        },
    )
    assert response.status_code == 302
    with district_context("vaishali"):
        file = EFile.objects.get(subject="ई-ऑफिस: चरण 1")
    assert response.url == f"/files/{file.pk}/"
    page = client.get(response.url)
    body = page.content.decode()
    assert page.status_code == 200
    assert f"SPVAI/GEN/{YEAR}/0001" in body and "ई-ऑफिस: चरण 1" in body
    assert "Confidential" in body and "Most immediate" not in body and "Urgent" in body
    assert 'id="note-form"' in body
    with district_context("vaishali"):
        view = AuditEvent.objects.filter(action="file.view").get()
        assert (view.target_id, view.post_id, view.person_id) == (
            str(file.pk),
            ef.posts["clerk"].pk,
            ef.people["clerk"].pk,
        )


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"post": "abc", "head": "x", "subject": "", "category": "crime"},
        {"post": "999999999999999999999", "head": "1", "subject": "s", "category": "crime"},
        {"post": "1", "head": "1", "subject": "a\x00b", "category": "crime"},
        {"post": "1", "head": "1", "subject": "ok", "category": "gossip", "priority": "x"},
    ],
)
def test_bad_new_file_input_is_a_form_error_and_opens_nothing(ef, data):
    client = ef.client("clerk")
    response = client.post("/files/new/", data)
    assert response.status_code == 200 and b"errorlist" in response.content
    with district_context("vaishali"):
        assert not EFile.objects.exists()


def test_a_post_not_held_or_a_head_of_another_office_is_refused(ef):
    client = ef.client("clerk")
    with district_context("vaishali"):
        own = FileHead.objects.create(office=ef.offices["ef-thana-mahua"], code="THN", name="Thana")
        head_id = _gen_head_id()
    base = {"subject": "s", "category": "crime", "priority": "normal", "confidentiality": "normal"}
    for post, head in ((ef.posts["sdpo"].pk, head_id), (ef.posts["clerk"].pk, own.pk)):
        response = client.post("/files/new/", {**base, "post": post, "head": head})
        assert response.status_code == 200 and b"errorlist" in response.content
    with district_context("vaishali"):
        assert not EFile.objects.exists()


def test_notes_are_added_and_edited_on_the_page_and_a_refusal_keeps_the_text(ef):
    client = ef.client("clerk")
    with district_context("vaishali"):
        file = open_file(ef)
    response = client.post(f"/files/{file.pk}/notes/", {"body": "Put up, please."})
    assert response.status_code == 302 and response.url.endswith("#note-1")
    with district_context("vaishali"):
        note = Note.objects.get(file=file)
    edit_url = f"/files/{file.pk}/notes/{note.pk}/edit/"
    assert client.get(edit_url).status_code == 200
    assert client.post(edit_url, {"body": "Put up for orders."}).status_code == 302
    page = client.get(f"/files/{file.pk}/").content.decode()
    assert "Put up for orders." in page and edit_url in page

    with district_context("vaishali"):
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"])
    # Frozen now: the page no longer offers the change, and a change is refused on the form.
    page = client.get(f"/files/{file.pk}/").content.decode()
    assert edit_url not in page and 'id="note-form"' not in page
    response = client.get(edit_url)
    assert response.status_code == 302 and response.url.endswith("#note-1")
    refused = client.post(edit_url, {"body": "Too late"})
    assert refused.status_code == 200 and "no longer be changed" in refused.content.decode()
    # A note on a file that left the post: refused, the page shows again with the typed text.
    refused = client.post(f"/files/{file.pk}/notes/", {"body": "Another thought"})
    text = refused.content.decode()
    assert refused.status_code == 200 and "is not at your post" in text and "Another thought" in text
    with district_context("vaishali"):
        note.refresh_from_db()
        assert note.body == "Put up for orders." and Note.objects.filter(file=file).count() == 1


def test_draft_flow_over_http_clerk_drafts_sdpo_returns_then_approves(ef):
    clerk, sdpo = ef.client("clerk"), ef.client("sdpo")
    with district_context("vaishali"):
        file = open_file(ef)
    assert clerk.get(f"/files/{file.pk}/drafts/new/").status_code == 200
    assert clerk.post(f"/files/{file.pk}/drafts/new/", {**LETTER, "body": ""}).status_code == 200
    response = clerk.post(f"/files/{file.pk}/drafts/new/", LETTER)
    assert response.status_code == 302
    with district_context("vaishali"):
        draft = Draft.objects.get(file=file)
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"])
        file_receive(actor=ef.actor("sdpo"), file=file)
    page = sdpo.get(f"/files/{file.pk}/").content.decode()
    approve_url = f"/files/{file.pk}/drafts/{draft.pk}/approve/"
    return_url = f"/files/{file.pk}/drafts/{draft.pk}/return/"
    assert approve_url in page and return_url in page
    # A return without a note: the page again, with the error, nothing changed.
    refused = sdpo.post(return_url, {f"d{draft.pk}-note": ""})
    assert refused.status_code == 200 and b"errorlist" in refused.content
    assert sdpo.post(return_url, {f"d{draft.pk}-note": "Give thana-wise figures."}).status_code == 302
    with district_context("vaishali"):
        draft.refresh_from_db()
        assert draft.status == Draft.Status.RETURNED
    # The SDPO corrects it and approves it.
    edit = sdpo.post(f"/files/{file.pk}/drafts/{draft.pk}/edit/", {**LETTER, "body": "Sir, 14 thanas."})
    assert edit.status_code == 302
    response = sdpo.post(approve_url, {f"d{draft.pk}-mode": "hand", f"d{draft.pk}-remarks": ""})
    assert response.status_code == 302
    with district_context("vaishali"):
        draft.refresh_from_db()
        assert draft.status == Draft.Status.DISPATCHED and draft.dispatch.mode == "hand"
        number = draft.dispatch.number
    page = sdpo.get(f"/files/{file.pk}/").content.decode()
    assert number in page and approve_url not in page
    # Approving again is refused and shown, not a second dispatch.
    again = sdpo.post(approve_url, {f"d{draft.pk}-mode": "post"})
    assert again.status_code == 200 and "not awaiting approval" in again.content.decode()
    with district_context("vaishali"):
        assert Dispatch.objects.count() == 1


def test_the_drafter_is_not_offered_approval_and_a_forged_approval_is_refused(ef):
    clerk = ef.client("clerk")
    with district_context("vaishali"):
        file = open_file(ef)
        draft = draft_create(actor=ef.actor("clerk"), file=file, **LETTER)
    page = clerk.get(f"/files/{file.pk}/").content.decode()
    assert f"/drafts/{draft.pk}/approve/" not in page and f"/drafts/{draft.pk}/edit/" in page
    # The SP sees the file but does not hold it: no change offered, and none taken.
    sp = ef.client("sp")
    assert f"/drafts/{draft.pk}/edit/" not in sp.get(f"/files/{file.pk}/").content.decode()
    assert sp.get(f"/files/{file.pk}/drafts/{draft.pk}/edit/").status_code == 302
    refused = sp.post(f"/files/{file.pk}/drafts/{draft.pk}/edit/", {**LETTER, "subject": "Changed by the SP"})
    assert refused.status_code == 200 and "is not at your post" in refused.content.decode()
    refused = clerk.post(f"/files/{file.pk}/drafts/{draft.pk}/approve/", {f"d{draft.pk}-mode": "post"})
    assert refused.status_code == 200 and "senior" in refused.content.decode()
    with district_context("vaishali"):
        assert not Dispatch.objects.exists()


def test_holder_changes_particulars_others_are_refused(ef):
    with district_context("vaishali"):
        file = open_file(ef)
    data = {
        "subject": "New subject",
        "category": "crime",
        "priority": "immediate",
        "confidentiality": "secret",
    }
    sp = ef.client("sp")  # sees the file (district-wide) but does not hold it
    assert sp.get(f"/files/{file.pk}/").status_code == 200
    refused = sp.post(f"/files/{file.pk}/edit/", data)
    assert refused.status_code == 200 and "is not at your post" in refused.content.decode()
    clerk = ef.client("clerk")
    assert clerk.get(f"/files/{file.pk}/edit/").status_code == 200
    assert clerk.post(f"/files/{file.pk}/edit/", {**data, "category": "nope"}).status_code == 200
    assert clerk.post(f"/files/{file.pk}/edit/", data).status_code == 302
    with district_context("vaishali"):
        file.refresh_from_db()
        assert (file.subject, file.category, file.priority, file.confidentiality) == (
            "New subject",
            "crime",
            "immediate",
            "secret",
        )


def test_page_shows_names_in_hindi_for_a_hindi_reader(ef):
    with district_context("vaishali"):
        file = open_file(ef)
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"])
    client = ef.client("clerk")
    english = client.get(f"/files/{file.pk}/").content.decode()
    assert "SDPO Office Mahua" in english and "एसडीपीओ कार्यालय महुआ" not in english
    client.post("/i18n/setlang/", {"language": "hi", "next": "/"})
    page = client.get(f"/files/{file.pk}/").content.decode()
    assert '<html lang="hi" ' in page
    assert "एसडीपीओ कार्यालय महुआ" in page and "SDPO Office Mahua" not in page


def test_correspondence_side_lists_dak_documents_and_letters_sent_in_the_order_they_joined(ef):
    with district_context("vaishali"):
        file = open_file(ef)
        receipt = dak_of(ef)
        receipt_attach(actor=ef.actor("clerk"), receipt=receipt, file=file)
        # The rows an upload leaves (storing the bytes is the documents' own tests' part).
        who = {"created_by": ef.people["clerk"], "created_post": ef.posts["clerk"]}
        document = Document.objects.create(file=file, title="Phase 1 checklist", **who)
        DocumentVersion.objects.create(
            document=document,
            number=1,
            stored_name=f"documents/test/{document.pk}",
            original_name="checklist.pdf",
            content_type="application/pdf",
            size=4,
            sha256="0" * 64,
            uploaded_by=ef.people["clerk"],
            uploaded_post=ef.posts["clerk"],
        )
        draft = draft_create(actor=ef.actor("clerk"), file=file, **LETTER)
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"])
        draft_approve(actor=ef.actor("sdpo"), draft=draft)
        dispatch = Dispatch.objects.get(file=file)
    page = ef.client("sdpo").get(f"/files/{file.pk}/").content.decode()
    side = page[page.index('id="corr-h"') : page.index('id="documents"')]
    positions = [side.index(text) for text in (receipt.diary_number, "Phase 1 checklist", dispatch.number)]
    assert positions == sorted(positions)
    assert f'href="/dak/{receipt.pk}/"' in side
    # The approval is on the noting side too, as a note that cannot be changed.
    noting = page[page.index('id="noting-h"') : page.index('id="corr-h"')]
    assert dispatch.number in noting and "/edit/" not in noting


def test_register_lists_an_offices_files_for_the_year_only_those_the_viewer_sees(ef):
    with district_context("vaishali"):
        normal = open_file(ef)
        secret = open_file(ef, confidentiality=EFile.Confidentiality.SECRET)
        EFile.objects.filter(pk=secret.pk).update(subject="Secret matter")
        sp_office = ef.offices["sp-office"].pk
    clerk = ef.client("clerk")
    page = clerk.get("/files/register/")  # defaults: the clerk's office, this year
    body = page.content.decode()
    assert page.status_code == 200 and normal.number in body and "Secret matter" in body
    assert body.index(normal.number) < body.index(secret.number)
    pio = ef.client("pio")  # same office, another post: sees neither
    body = pio.get(f"/files/register/?office={sp_office}&year={YEAR}").content.decode()
    assert normal.number not in body and "Secret matter" not in body
    sp = ef.client("sp")
    body = sp.get(f"/files/register/?office={sp_office}&year={YEAR}&status=open").content.decode()
    assert normal.number in body and secret.number in body
    body = sp.get(f"/files/register/?office={sp_office}&year={YEAR - 1}").content.decode()
    assert normal.number not in body
    for junk in (
        "office=abc&year=2025",
        "office=1&year=-5",
        "office=99999999999999999999&year=x",
        "office=\x00",
    ):
        assert sp.get(f"/files/register/?{junk}&page=zz").status_code == 200


def test_register_needs_a_sign_in(ef):
    response = HostClient("vaishali").get("/files/register/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("step", ["park", "close"])
def test_a_file_that_cannot_be_sent_builds_no_post_picker(ef, monkeypatch, step):
    with district_context("vaishali"):
        file = open_file(ef, "clerk")
        if step == "park":
            file_park(actor=ef.actor("clerk"), file=file)
        else:
            file_close(actor=ef.actor("clerk"), file=file, remark="Done")

    def no_picker(**kwargs):
        raise AssertionError("the post picker was built for a file that cannot be sent")

    monkeypatch.setattr("core.efile.views.files.post_choices", no_picker)
    page = ef.client("clerk").get(f"/files/{file.pk}/")
    assert page.status_code == 200 and 'id="send-form"' not in page.content.decode()
