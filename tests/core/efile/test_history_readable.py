"""A file's history reads in the reader's language (issue 15, point 4): labels, never action codes;
the post a step went to named in Hindi where it has a Hindi name; one person's repeated reads within
an hour folded into one line, while the audit trail keeps every event."""

import datetime

from core.efile.selectors.track import history_lines
from core.efile.services.files import file_view_record
from core.efile.services.movement import file_send
from core.models import AuditEvent, Post
from tenants.context import district_context
from tests.core.efile.filework import open_file
from tests.helpers import HostClient


def _hindi(client):
    client.post("/i18n/setlang/", {"language": "hi", "next": "/"})
    return client


def test_history_shows_labels_in_the_readers_language_and_hindi_post_names(ef):
    with district_context("vaishali"):
        Post.objects.filter(pk=ef.posts["sdpo"].pk).update(title_hi="एसडीपीओ महुआ")
        file = open_file(ef)
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"], remarks="Put up")
    english = ef.client("clerk").get(f"/files/{file.pk}/history/").content.decode()
    for code in ("file.create", "file.send", "file.history", "<code>"):
        assert code not in english
    assert "File opened" in english and "Sent to a post" in english and "→ SDPO Mahua" in english
    hindi = _hindi(ef.client("clerk")).get(f"/files/{file.pk}/history/").content.decode()
    assert "file.send" not in hindi and "→ एसडीपीओ महुआ" in hindi and "→ SDPO Mahua" not in hindi
    assert "Sent to a post" not in hindi


def test_repeated_reads_within_an_hour_fold_into_one_line_and_the_trail_keeps_them(ef):
    with district_context("vaishali"):
        file = open_file(ef)
        for _ in range(3):
            file_view_record(actor=ef.actor("clerk"), file=file)
        file_view_record(actor=ef.actor("sp"), file=file)  # someone else: a line of its own
        file_view_record(actor=ef.actor("clerk"), file=file)  # joins the clerk's line
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"])
        file_view_record(actor=ef.actor("clerk"), file=file)  # after a step: a new line
        events = list(AuditEvent.objects.filter(target_type="efile", target_id=str(file.pk)).order_by("id"))
        assert [e.action for e in events].count("file.view") == 6  # every read kept
        lines = history_lines(events)
        assert [(line.action, line.times) for line in lines] == [
            ("file.create", 1),
            ("file.view", 4),
            ("file.view", 1),
            ("file.send", 1),
            ("file.view", 1),
        ]
        assert lines[1].last_at == events[5].at
        # More than an hour after the first read of a line: a new line.
        first, later = events[1], events[2]
        later.at = first.at + datetime.timedelta(hours=1, seconds=1)
        assert [line.times for line in history_lines([first, later])] == [1, 1]
    page = ef.client("clerk").get(f"/files/{file.pk}/history/").content.decode()
    assert "4 times, the last at" in page


def test_history_is_404_to_another_district_and_to_no_posting(ef):
    with district_context("vaishali"):
        file = open_file(ef)
    assert ef.client("other").get(f"/files/{file.pk}/history/").status_code == 404
    anonymous = HostClient("vaishali").get(f"/files/{file.pk}/history/")
    assert anonymous.status_code in (302, 404) and "File opened" not in anonymous.content.decode()
