"""The movement pages over HTTP: the actions on a file's page, send/receive/return/park/close/
reopen by POST, the trays, track and history; 404 for every file URL to whoever may not see it."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.efile.services.movement import file_close, file_park, file_reopen, file_send
from core.models import AuditEvent, EFile, Movement
from tenants.context import district_context
from tests.core.efile.filework import gen_file
from tests.core.efile.test_movement_services import new_file
from tests.helpers import HostClient, next_id_in_both_districts, sign_in_refused

TODAY = timezone.localdate()
MOVES = ("send", "receive", "return", "park", "unpark", "close", "reopen")


def test_clerk_sends_sdpo_takes_in_and_returns_all_through_the_pages(ef):
    with district_context("vaishali"):
        file = new_file(ef, subject="Rollout of e-Office")
    clerk, sdpo = ef.client("clerk"), ef.client("sdpo")
    page = clerk.get(f"/files/{file.pk}/").content.decode()
    assert 'id="send-form"' in page and 'id="close-file-form"' in page and 'id="return-form"' not in page
    assert "SDPO Mahua" in page  # the post picker, grouped by office with holders
    due = (TODAY + datetime.timedelta(days=3)).isoformat()
    response = clerk.post(
        f"/files/{file.pk}/send/", {"to_post": ef.posts["sdpo"].pk, "remarks": "Put up", "due_on": due}
    )
    assert response.status_code == 302 and response.url == "/inbox/"

    inbox = sdpo.get("/inbox/").content.decode()
    assert file.number in inbox and "Rollout of e-Office" in inbox and "Put up" in inbox
    assert 'class="ef-new' in inbox
    assert 'Inbox <span class="ef-count">(1)</span>' in inbox  # the header's count
    page = sdpo.get(f"/files/{file.pk}/").content.decode()
    assert 'id="return-form"' in page and "Take in" in page
    assert sdpo.post(f"/files/{file.pk}/receive/").status_code == 302
    assert sdpo.post(f"/files/{file.pk}/return/", {"remarks": "Seen"}).url == "/inbox/"
    with district_context("vaishali"):
        file.refresh_from_db()
        assert file.current_post == ef.posts["clerk"]
        assert list(Movement.objects.filter(file=file).values_list("action", flat=True)) == [
            "created",
            "sent",
            "returned",
        ]
    sent = sdpo.get("/inbox/sent/").content.decode()
    assert file.number in sent and "Seen" in sent

    track = clerk.get(f"/files/{file.pk}/track/").content.decode()
    assert "Now at Dak clerk, SP office" in track and "SDPO Mahua" in track and "Put up" in track
    history = clerk.get(f"/files/{file.pk}/history/").content.decode()
    # Each event says what it means in the reader's language, never its code.
    for action in ("file.create", "file.send", "file.receive", "file.return", "file.track"):
        assert action not in history
    for label in ("File opened", "Sent to a post", "Taken in", "Returned", "Track read"):
        assert label in history
    with district_context("vaishali"):
        viewed = AuditEvent.objects.filter(target_type="efile", target_id=str(file.pk))
        assert viewed.filter(action="file.track", post_id=ef.posts["clerk"].pk).count() == 1
        assert viewed.filter(action="file.history").count() == 1


def test_park_close_and_reopen_through_the_pages(ef):
    with district_context("vaishali"):
        file = new_file(ef, key="sho")
    sho, sdpo = ef.client("sho"), ef.client("sdpo")
    assert sho.post(f"/files/{file.pk}/park/", {"remarks": "Awaiting FSL"}).status_code == 302
    assert file.number in sho.get("/inbox/parked/").content.decode()
    assert f'action="/files/{file.pk}/unpark/"' in sho.get(f"/files/{file.pk}/").content.decode()
    assert sho.post(f"/files/{file.pk}/unpark/").status_code == 302
    response = sho.post(f"/files/{file.pk}/close/", {"remark": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert sho.post(f"/files/{file.pk}/close/", {"remark": "Charge-sheeted"}).status_code == 302
    assert file.number in sho.get("/inbox/closed/").content.decode()
    # The SDPO supervises the thana but the file never passed through their post: not in their tray.
    assert file.number not in sdpo.get("/inbox/closed/").content.decode()
    page = sdpo.get(f"/files/{file.pk}/").content.decode()
    assert 'id="reopen-form"' in page
    assert sdpo.post(f"/files/{file.pk}/reopen/", {"reason": "Further investigation"}).status_code == 302
    with district_context("vaishali"):
        file.refresh_from_db()
        assert file.status == EFile.Status.OPEN and file.received_at is None


def test_a_refused_send_shows_why_keeps_what_was_typed_and_moves_nothing(ef):
    with district_context("vaishali"):
        file = new_file(ef)
    clerk = ef.client("clerk")
    yesterday = (TODAY - datetime.timedelta(days=1)).isoformat()
    cases = [
        ({"to_post": ef.posts["sdpo"].pk, "remarks": "Urgent please", "due_on": yesterday}, "in the past"),
        ({"to_post": ef.posts["clerk"].pk, "remarks": "Urgent please"}, "Select a valid choice"),
        ({"to_post": "99999999999999999999", "remarks": "Urgent please"}, "Select a valid choice"),
        ({"to_post": ef.posts["sdpo"].pk, "remarks": "Urgent\x00please"}, "Null characters are not allowed"),
        ({"to_post": ef.posts["sdpo"].pk, "remarks": "Urgent please", "due_on": "2025-02-30"}, "valid date"),
        ({"remarks": "Urgent please"}, "This field is required"),
    ]
    for data, why in cases:
        response = clerk.post(f"/files/{file.pk}/send/", data)
        body = response.content.decode()
        assert response.status_code == 200 and why in body, (data, body[-2000:])
        if "\x00" not in data["remarks"]:
            assert "Urgent please" in body
    with district_context("vaishali"):
        file.refresh_from_db()
        assert file.current_post == ef.posts["clerk"]
        assert Movement.objects.filter(file=file).count() == 1
    # Somebody else's file, or one that moved on: the page says so, nothing changes.
    with district_context("vaishali"):
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["pio"])
    response = clerk.post(f"/files/{file.pk}/receive/", follow=True)
    assert "is not at your post" in response.content.decode()
    assert clerk.post(f"/files/{file.pk}/park/", {}).status_code == 200


def _files_with_the_same_id(ef):
    next_id_in_both_districts("core_efile")
    files = {}
    for district, key in (("vaishali", "clerk"), ("muzaffarpur", "other")):
        with district_context(district):
            files[district] = gen_file(ef.actor(key), ef.posts[key], f"{district} file", EFile.Category.OTHER)
    assert files["vaishali"].pk == files["muzaffarpur"].pk
    return files


def test_every_movement_url_is_404_to_whoever_may_not_see_the_file(ef):
    files = _files_with_the_same_id(ef)
    file = files["vaishali"]
    with district_context("vaishali"):
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["pio"])
        file_close(actor=ef.actor("pio"), file=file, remark="closed")
    data = {"to_post": ef.posts["sdpo"].pk, "remarks": "x", "remark": "x", "reason": "x"}
    for who in ("sdpo", "mahnar", "sho", "sdpoclerk", None):
        client = ef.client(who) if who else HostClient("vaishali")
        for move in MOVES:
            assert client.post(f"/files/{file.pk}/{move}/", data).status_code == 404, (who, move)
            assert client.get(f"/files/{file.pk}/{move}/").status_code == 404, (who, move)
        for page in ("track", "history"):
            assert client.get(f"/files/{file.pk}/{page}/").status_code == 404, (who, page)
    for bad in ("0", "99999999999999999999999", "-1", "abc"):
        assert ef.client("pio").get(f"/files/{bad}/track/").status_code == 404
    # The Muzaffarpur clerk on their own host sees their own file with that id only.
    other = ef.client("other").get(f"/files/{file.pk}/track/").content.decode()
    assert "muzaffarpur file" in other and "vaishali file" not in other
    # The SP (district-wide) may see and reopen; nothing was written by the probes.
    with district_context("vaishali"):
        file.refresh_from_db()
        assert file.status == EFile.Status.CLOSED
        assert not AuditEvent.objects.filter(action__in=["file.track", "file.history"]).exists()
    assert ef.client("sp").get(f"/files/{file.pk}/track/").status_code == 200
    # POST-only moves answer 405 to GET for someone who may see the file.
    assert ef.client("pio").get(f"/files/{file.pk}/reopen/").status_code == 405


def test_trays_need_a_sign_in_and_a_posting(ef):
    for url in ("/inbox/", "/inbox/sent/", "/inbox/parked/", "/inbox/closed/", "/notifications/"):
        response = HostClient("vaishali").get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url
        assert ef.client("clerk").get(url + "?page=%00").status_code == 200
    visitor = HostClient("vaishali")
    assert sign_in_refused(visitor.sign_in(ef.people["other"].login_id))  # posted elsewhere only


def test_the_desk_and_the_header_show_what_waits(ef):
    with district_context("vaishali"):
        file = new_file(ef)
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"])
    home = ef.client("sdpo").get("/").content.decode()
    assert "Waiting at your posts" in home and 'href="/inbox/"' in home
    assert 'class="console ef-nav"' in home and 'Notifications <span class="ef-count">(1)</span>' in home
    assert 'href="/dak/new/"' in home and 'href="/files/new/"' in home
    # Not on the district administration screens (the district admin's own, which they may open).
    admin = HostClient("vaishali")
    assert admin.sign_in("vaishali.admin").status_code == 302
    admin_home = admin.get("/admin/")
    assert admin_home.status_code == 200
    assert "ef-nav" not in admin_home.content.decode()


def test_park_close_and_reopen_write_the_files_row_once(ef):
    """The step's fields (status, closing time and remark) go into the one UPDATE that moves it."""
    updates = f'UPDATE "{EFile._meta.db_table}"'
    steps = (
        lambda file: file_park(actor=ef.actor("clerk"), file=file, remarks="Later"),
        lambda file: file_close(actor=ef.actor("clerk"), file=file, remark="Done"),
        lambda file: file_reopen(actor=ef.actor("clerk"), file=file, reason="Again"),
    )
    states = []
    with district_context("vaishali"):
        file = new_file(ef)
        for step in steps:
            with CaptureQueriesContext(connection) as queries:
                step(file)
            assert sum(query["sql"].startswith(updates) for query in queries.captured_queries) == 1
            file.refresh_from_db()
            states.append((file.status, file.closed_at, file.close_remark))
        closing = Movement.objects.get(file=file, action=Movement.Action.CLOSED)
    assert states == [
        (EFile.Status.PARKED, None, ""),
        (EFile.Status.CLOSED, closing.at, "Done"),
        (EFile.Status.OPEN, None, ""),
    ]
