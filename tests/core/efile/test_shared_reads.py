"""The reads the e-File pages share, each defined once: today's holders of a post, overdue (a parked
file past its date included), the offices whose registers a person may open, a receipt's track,
the documents panel fed by the page, the desk's inbox count read once, the header's counts in one
statement, and e-mails marked sent before they go (a failed send is sent again by the retry, never
twice)."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.base.access import dispatch_visible_q, viewer_for
from core.base.holders import office_subtree_ids
from core.base.notifications import notifications_email, post_holder_ids
from core.efile.selectors.dak import receipt_track, register_offices
from core.efile.selectors.files import file_detail, post_holders, register_office_choices
from core.efile.selectors.inbox import inbox_summary, item_overdue
from core.efile.selectors.track import Track
from core.efile.services.movement import file_park, file_receive, file_send
from core.efile.services.receipts import receipt_receive, receipt_send
from core.models import Dispatch, EFile, Notification, Office
from core.org.selectors.offices import office_descendant_ids
from core.org.services.postings import posting_start
from core.templatetags.efile_documents import documents_of
from tenants.context import district_context
from tests.core.efile.test_inbox import dak
from tests.core.efile.test_movement_services import new_file

TODAY = timezone.localdate()


def test_office_subtree_and_descendants_are_one_walk(ef):
    with district_context("vaishali"):
        sdpo, thana = ef.offices["ef-sdpo-mahua"], ef.offices["ef-thana-mahua"]
        assert thana.pk in office_subtree_ids(sdpo.pk) and sdpo.pk in office_subtree_ids(sdpo.pk)
        assert office_descendant_ids(sdpo) == set(office_subtree_ids(sdpo.pk)) - {sdpo.pk}
        assert ef.offices["ef-sdpo-mahnar"].pk not in office_subtree_ids(sdpo.pk)
        assert viewer_for(ef.people["sdpo"]).scope_office_ids == office_subtree_ids(sdpo.pk)


def test_holders_substantive_first_then_additional_charge_one_lookup_everywhere(ef):
    with district_context("vaishali"):
        post = ef.posts["sdpo"]
        posting_start(
            person=ef.people["mahnar"],
            post=post,
            additional_charge=True,
            ends_on=TODAY + datetime.timedelta(days=30),
        )
        assert post_holders(post.pk) == [ef.people["sdpo"], ef.people["mahnar"]]
        assert post_holder_ids(post) == [ef.people["sdpo"].pk, ef.people["mahnar"].pk]
        # The additional charge also gives the holder that post's sight.
        assert post.pk in viewer_for(ef.people["mahnar"]).post_ids


def test_a_parked_file_past_its_date_is_overdue_on_the_page_and_in_the_desk_count(ef):
    with district_context("vaishali"):
        file = new_file(ef)
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"], due_on=TODAY)
        file_receive(actor=ef.actor("sdpo"), file=file)
        file = file_park(actor=ef.actor("sdpo"), file=file)
        EFile.objects.filter(pk=file.pk).update(due_on=TODAY - datetime.timedelta(days=1))
        file.refresh_from_db()
        viewer = viewer_for(ef.people["sdpo"])
        assert file.status == EFile.Status.PARKED
        assert item_overdue(file)
        assert file_detail(file=file, viewer=viewer).overdue
        [row] = inbox_summary(viewer)
        assert (row.files, row.parked, row.overdue) == (0, 1, 1)
        file.status = EFile.Status.CLOSED
        assert not item_overdue(file)  # closed: no longer waiting anywhere


def test_the_file_register_offers_the_offices_the_dak_registers_do(ef):
    with district_context("vaishali"):
        for key in ("clerk", "sdpo", "sho", "sp"):
            viewer = viewer_for(ef.people[key])
            offered = [pk for pk, _label in register_office_choices(viewer)]
            assert offered == [office.pk for office in register_offices(viewer)]
        sho = [pk for pk, _label in register_office_choices(viewer_for(ef.people["sho"]))]
        assert sho == [ef.offices["ef-thana-mahua"].pk]
        assert len(register_office_choices(viewer_for(ef.people["sp"]))) == Office.objects.count()


def test_dispatch_rule_lives_with_the_others(ef):
    with district_context("vaishali"):
        nobody = viewer_for(None)
        assert not Dispatch.objects.filter(dispatch_visible_q(nobody)).exists()
        assert str(dispatch_visible_q(viewer_for(ef.people["sp"]))) == "(AND: )"


def test_a_receipts_track_is_the_item_track_with_each_posts_stay(ef):
    with district_context("vaishali"):
        letter = dak(ef)
        receipt_send(actor=ef.actor("clerk"), receipt=letter, to_post=ef.posts["sdpo"])
        receipt_receive(actor=ef.actor("sdpo"), receipt=letter)
        track = receipt_track(letter)
        assert isinstance(track, Track)
        first, last = track.steps
        assert (first.movement.to_post, last.movement.to_post) == (ef.posts["clerk"], ef.posts["sdpo"])
        assert not first.current and first.held_for is not None  # the clerk's stay ended when sent
        assert last.current and last.movement.received_at is not None
        assert [stay.post for stay in track.posts] == [ef.posts["clerk"], ef.posts["sdpo"]]
    page = ef.client("sdpo").get(f"/dak/{letter.pk}/").content.decode()
    track_html = page[page.index('id="track-h"') :]
    assert "ef-current" in track_html and "SDPO Mahua" in track_html


def test_the_documents_panel_uses_the_documents_the_page_read(ef, django_assert_num_queries):
    given = ["already read"]
    with django_assert_num_queries(0):
        assert documents_of(object(), given) is given
    with district_context("vaishali"):
        file = new_file(ef)
        with django_assert_num_queries(1):
            assert documents_of(file, "") == []  # nothing passed: the selector reads (no versions)


def test_the_file_page_reads_documents_once(ef):
    with district_context("vaishali"):
        file = new_file(ef)
    client = ef.client("clerk")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/files/{file.pk}/").status_code == 200
    reads = [
        q["sql"] for q in queries if q["sql"].startswith("SELECT") and 'FROM "core_document"' in q["sql"]
    ]
    assert len(reads) == 1


def test_the_desk_counts_the_inbox_and_reads_postings_once(ef):
    with district_context("vaishali"):
        file = new_file(ef)
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"])
    client = ef.client("sdpo")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'class="ef-count">(1)' in body
    sql = [q["sql"] for q in queries]
    assert not [s for s in sql if 'COUNT(*) AS "__count" FROM "core_efile"' in s]  # no second count
    assert (
        len([s for s in sql if s.lstrip().startswith("SELECT") and 'FROM "core_posting"' in s]) == 2
    )  # gate, desk


def test_the_header_counts_are_one_statement_and_the_inbox_is_not_counted_again(ef):
    with district_context("vaishali"):
        file = new_file(ef)
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"])
        unread = Notification.objects.filter(person=ef.people["sdpo"], read_at__isnull=True).count()
    assert unread >= 1  # told of the file that arrived
    client = ef.client("sdpo")
    for path in ("/inbox/", "/inbox/sent/", "/inbox/parked/", "/inbox/closed/"):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(path)
        assert page.status_code == 200
        body = page.content.decode()
        assert 'Inbox <span class="ef-count">(1)</span>' in body, path
        assert f'Notifications <span class="ef-count">({unread})</span>' in body, path
        sql = [q["sql"] for q in queries]
        counts = [s for s in sql if "FROM core_notification WHERE" in s]
        assert len(counts) == 1 and "FROM core_efile WHERE" in counts[0], path  # both in one statement
        assert not [s for s in sql if 'COUNT(*) AS "__count" FROM "core_notification"' in s], path
        assert not [s for s in sql if s.startswith("SELECT COUNT(*) FROM ((SELECT")], path  # inbox union
    assert "1 item waiting at your posts" in client.get("/inbox/").content.decode()


def _arrival(ef) -> list[int]:
    file = new_file(ef)
    file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"])
    return list(Notification.objects.filter(file=file).values_list("pk", flat=True))


def test_an_email_is_marked_sent_before_it_goes(ef):
    with district_context("vaishali"):
        ids = _arrival(ef)
        marked_when_sent = []

        def send(*args, **kwargs):
            marked_when_sent.append(
                Notification.objects.filter(pk__in=ids, emailed_at__isnull=False).count() == len(ids)
            )
            return 1

        with mock.patch("core.base.notifications.send_mail", side_effect=send):
            assert notifications_email(ids) == 1
        assert marked_when_sent == [True]
        assert notifications_email(ids) == 0


def test_a_failed_send_is_unmarked_and_sent_by_the_retry_once(ef):
    with district_context("vaishali"):
        ids = _arrival(ef)
        mail.outbox.clear()
        smtp_down = mock.patch("core.base.notifications.send_mail", side_effect=OSError("smtp down"))
        with smtp_down, pytest.raises(OSError):
            notifications_email(ids)
        assert not Notification.objects.filter(pk__in=ids, emailed_at__isnull=False).exists()
        assert notifications_email(ids) == 1
        assert notifications_email(ids) == 0
        assert len(mail.outbox) == 1


def test_a_notification_links_to_the_file_page(ef):
    with district_context("vaishali"):
        ids = _arrival(ef)
        mail.outbox.clear()
        notifications_email(ids)
        file_id = Notification.objects.get(pk=ids[0]).file_id
    assert f"/files/{file_id}/" in mail.outbox[0].body
