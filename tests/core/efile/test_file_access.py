"""Who may reach the file pages: everyone who may not see a file gets 404 for every file URL
(other district, no access, anonymous), with ids that exist in both districts; no 500s for odd ids."""

import datetime

import pytest
from django.utils import timezone

from core.efile.services.drafts import draft_create
from core.efile.services.movement import file_send
from core.efile.services.notes import note_add
from core.models import AuditEvent, Draft, EFile, Note, Posting
from tenants.context import district_context
from tests.core.efile.filework import LETTER, gen_file, open_file
from tests.helpers import HostClient, next_id_in_both_districts, sign_in_refused


def _files_with_the_same_id_in_both_districts(ef):
    """A Vaishali file and a Muzaffarpur file that share their id: both districts' id sequences
    are moved on to the same next value (only ever forward, so no id is given twice)."""
    next_id = next_id_in_both_districts("core_efile")
    files = {}
    for district, key in (("vaishali", "clerk"), ("muzaffarpur", "other")):
        with district_context(district):
            files[district] = gen_file(ef.actor(key), ef.posts[key], f"{district} file", EFile.Category.OTHER)
            note_add(actor=ef.actor(key), file=files[district], body=f"{district} note")
            draft_create(actor=ef.actor(key), file=files[district], **LETTER)
    assert files["vaishali"].pk == files["muzaffarpur"].pk == next_id
    return files


def _item_urls(file_id: int, note_id: int, draft_id: int) -> list[tuple[str, str]]:
    return [
        ("get", f"/files/{file_id}/"),
        ("get", f"/files/{file_id}/edit/"),
        ("post", f"/files/{file_id}/edit/"),
        ("post", f"/files/{file_id}/notes/"),
        ("get", f"/files/{file_id}/notes/"),
        ("get", f"/files/{file_id}/notes/{note_id}/edit/"),
        ("post", f"/files/{file_id}/notes/{note_id}/edit/"),
        ("get", f"/files/{file_id}/drafts/new/"),
        ("post", f"/files/{file_id}/drafts/new/"),
        ("get", f"/files/{file_id}/drafts/{draft_id}/edit/"),
        ("post", f"/files/{file_id}/drafts/{draft_id}/approve/"),
        ("get", f"/files/{file_id}/drafts/{draft_id}/approve/"),
        ("post", f"/files/{file_id}/drafts/{draft_id}/return/"),
    ]


def test_every_file_url_is_404_for_other_district_no_access_and_anonymous_with_shared_ids(ef, world):
    files = _files_with_the_same_id_in_both_districts(ef)
    file = files["vaishali"]
    with district_context("vaishali"):
        note, draft = Note.objects.get(file=file), Draft.objects.get(file=file)
    urls = _item_urls(file.pk, note.pk, draft.pk)
    data = {"body": "probe", "subject": "probe", "note": "probe"}
    for who in ("pio", "mahnar", "sho", "sdpoclerk", None):
        client = ef.client(who) if who else HostClient("vaishali")
        for method, url in urls:
            response = getattr(client, method)(url, data)
            assert response.status_code == 404, (who, method, url, response.status_code)
    # The Muzaffarpur clerk, asking their own host for the same id, gets their own file only.
    other = ef.client("other")
    page = other.get(f"/files/{file.pk}/").content.decode()
    assert "muzaffarpur file" in page and "vaishali file" not in page and "vaishali note" not in page
    # … and cannot sign in on Vaishali's host at all (no posting there): anonymous, so 404.
    visitor = HostClient("vaishali")
    assert sign_in_refused(visitor.sign_in(ef.people["other"].login_id))
    assert visitor.get(f"/files/{file.pk}/").status_code == 404
    # Nothing was written by the probes.
    with district_context("vaishali"):
        assert Note.objects.filter(file=file).count() == 1
        assert Draft.objects.filter(file=file).count() == 1
        assert not AuditEvent.objects.filter(action="file.view", target_id=str(file.pk)).exists()


def test_a_signed_in_person_whose_posting_ended_gets_403_and_no_content(ef):
    with district_context("vaishali"):
        file = open_file(ef)
    client = ef.client("clerk")
    assert client.get(f"/files/{file.pk}/").status_code == 200
    day = datetime.timedelta(days=1)
    with district_context("vaishali"):
        Posting.objects.filter(person=ef.people["clerk"]).update(
            starts_on=timezone.localdate() - 5 * day, ends_on=timezone.localdate() - day
        )
    response = client.get(f"/files/{file.pk}/")
    assert response.status_code == 403 and file.number.encode() not in response.content
    # Signed out by the gate: from now on an anonymous visitor, who gets 404 for the file.
    assert client.get(f"/files/{file.pk}/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/files/0/",
        "/files/99999999999999999999999/",
        "/files/abc/",
        "/files/1/notes/99999999999999999999/edit/",
        "/files/%00/",
    ],
)
def test_ids_out_of_range_or_not_numbers_are_404_not_500(ef, url):
    assert ef.client("sp").get(url).status_code == 404


def test_a_note_or_draft_id_of_another_file_is_404(ef):
    with district_context("vaishali"):
        first, second = open_file(ef), open_file(ef)
        note = note_add(actor=ef.actor("clerk"), file=first, body="On the first file")
        draft = draft_create(actor=ef.actor("clerk"), file=first, **LETTER)
    clerk = ef.client("clerk")
    assert clerk.get(f"/files/{second.pk}/notes/{note.pk}/edit/").status_code == 404
    assert clerk.get(f"/files/{second.pk}/drafts/{draft.pk}/edit/").status_code == 404
    assert clerk.post(f"/files/{second.pk}/drafts/{draft.pk}/return/", {}).status_code == 404


def test_post_only_urls_answer_405_to_a_get_from_someone_who_sees_the_file(ef):
    with district_context("vaishali"):
        file = open_file(ef)
        draft = draft_create(actor=ef.actor("clerk"), file=file, **LETTER)
    clerk = ef.client("clerk")
    for url in (f"/files/{file.pk}/notes/", f"/files/{file.pk}/drafts/{draft.pk}/approve/"):
        assert clerk.get(url).status_code == 405


def test_junk_input_on_every_form_is_answered_without_a_server_error_and_writes_nothing(ef):
    with district_context("vaishali"):
        file = open_file(ef)
        draft = draft_create(actor=ef.actor("clerk"), file=file, **LETTER)
        note = note_add(actor=ef.actor("clerk"), file=file, body="First")
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"])
        events = AuditEvent.objects.exclude(action="file.view").count()
    sdpo, clerk = ef.client("sdpo"), ef.client("clerk")
    junk = [
        {},
        {"body": "\x00"},
        {"body": "x" * 20001},
        {"note": "\x00"},
        {"subject": "\x00", "category": "\x00"},
    ]
    d = f"d{draft.pk}"
    for data in junk + [{f"{d}-mode": "\x00"}, {f"{d}-mode": "pigeon"}, {f"{d}-note": "\x00"}]:
        for client, url in (
            (sdpo, f"/files/{file.pk}/notes/"),
            (sdpo, f"/files/{file.pk}/edit/"),
            (sdpo, f"/files/{file.pk}/drafts/new/"),
            (sdpo, f"/files/{file.pk}/drafts/{draft.pk}/edit/"),
            (sdpo, f"/files/{file.pk}/drafts/{draft.pk}/approve/"),
            (sdpo, f"/files/{file.pk}/drafts/{draft.pk}/return/"),
            (clerk, f"/files/{file.pk}/notes/{note.pk}/edit/"),
            (clerk, "/files/new/"),
        ):
            response = client.post(url, data)
            assert response.status_code == 200, (url, data, response.status_code)
    with district_context("vaishali"):
        assert AuditEvent.objects.exclude(action="file.view").count() == events
        assert Note.objects.filter(file=file).count() == 1 and Draft.objects.filter(file=file).count() == 1
