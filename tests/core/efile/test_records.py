"""What the e-File registers with the district: open files keep an office from closing, files and
dak marked to a post stay with the post through a transfer, and weekly adoption counts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.base.access import viewer_for
from core.base.records import office_open_records, post_marked_records
from core.efile.selectors.inbox import inbox_page
from core.efile.services.movement import file_close, file_park, file_send, file_unpark
from core.efile.services.receipts import receipt_close, receipt_send
from core.models import AuditEvent, EFile, Office, Post, Posting
from core.org import services as core_services
from core.org.selectors.adoption import district_figures, office_weekly_adoption, week_starts
from tenants.context import district_context
from tests.core.efile.filework import gen_file
from tests.core.efile.test_inbox import dak
from tests.core.efile.test_movement_services import new_file

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def test_closing_an_office_at_whose_posts_open_files_lie_is_refused(ef):
    with district_context("vaishali"):
        office = core_services.office_create(
            code="ef-closing",
            name="Old OP",
            kind=Office.Kind.THANA,
            parent=ef.offices["ef-sdpo-mahua"],
            abbr="OLDOP",
        )
        post = core_services.post_create(
            office=office, code="ef-closing-sho", title="SHO Old OP", kind=Post.Kind.SHO
        )
        posting = core_services.posting_start(person=ef.people["si"], post=post, starts_on=TODAY - 10 * DAY)
        ef.posts["oldop"], ef.people["oldop"] = post, ef.people["si"]
        file = gen_file(ef.actor("oldop"), post, "Left open", EFile.Category.OTHER)
        file_park(actor=ef.actor("oldop"), file=file)
        assert office_open_records(office) == {"open files": 1}  # parked counts too
        file_unpark(actor=ef.actor("oldop"), file=file)
        file_send(actor=ef.actor("oldop"), file=file, to_post=ef.posts["sdpo"])
        core_services.posting_end(posting=posting, ends_on=TODAY - DAY)
        # Its own file lies at the SDPO's post, where it is worked on: nothing is stranded.
        assert office_open_records(office) == {}
        assert office_open_records(ef.offices["ef-sdpo-mahua"]) == {"open files": 1}
        core_services.office_close(actor=ef.actor("sp"), office=office, closed_on=TODAY, reason="Merged")
        office.refresh_from_db()
        assert office.status == Office.Status.CLOSED


def test_files_and_dak_of_another_office_lying_at_its_posts_keep_an_office_and_a_post_open(ef):
    with district_context("vaishali"):
        thana = ef.offices["ef-thana-mahua"]
        Posting.objects.filter(person__in=[ef.people["si"], ef.people["sho"]]).update(
            starts_on=TODAY - 30 * DAY
        )
        file = new_file(ef, subject="SP office file at the SI")  # the SP office's file
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["si"])
        file_park(actor=ef.actor("si"), file=file)
        letter = dak(ef)
        receipt_send(actor=ef.actor("clerk"), receipt=letter, to_post=ef.posts["sho"])
        assert office_open_records(thana) == {"open files": 1, "open dak": 1}
        assert post_marked_records(ef.posts["si"]) == {"open files": 1}
        assert "open files" not in office_open_records(ef.offices["sp-office"])
        with pytest.raises(ValidationError) as refused:
            core_services.post_close(actor=ef.actor("sp"), post=ef.posts["si"])
        assert "open files: 1" in str(refused.value)
        # Closed files and closed dak do not hold anything open.
        file_close(actor=ef.actor("si"), file=file, remark="Disposed of")
        receipt_close(actor=ef.actor("sho"), receipt=letter, remark="No action needed")
        assert office_open_records(thana) == {}
        for key in ("si", "sho"):
            core_services.posting_end(
                posting=Posting.objects.get(person=ef.people[key], post=ef.posts[key]), ends_on=TODAY - DAY
            )
        core_services.post_close(actor=ef.actor("sp"), post=ef.posts["si"])
        core_services.office_close(actor=ef.actor("sp"), office=thana, closed_on=TODAY, reason="Merged")
        thana.refresh_from_db()
        assert thana.status == Office.Status.CLOSED


def _strand_at_the_thana(ef):
    """An SP office file and letter lying at the thana's posts, nobody posted there any more."""
    Posting.objects.filter(person__in=[ef.people["si"], ef.people["sho"]]).update(starts_on=TODAY - 30 * DAY)
    file = new_file(ef, subject="Stranded?")
    file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["si"])
    for key in ("si", "sho"):
        core_services.posting_end(
            posting=Posting.objects.get(person=ef.people[key], post=ef.posts[key]), ends_on=TODAY - DAY
        )
    return file


def test_an_office_whose_only_holding_is_another_offices_file_cannot_close(ef):
    with district_context("vaishali"):
        thana = ef.offices["ef-thana-mahua"]
        _strand_at_the_thana(ef)
        with pytest.raises(ValidationError) as refused:
            core_services.office_close(actor=ef.actor("sp"), office=thana, closed_on=TODAY, reason="Merged")
        assert "open files: 1" in str(refused.value) and "people" not in str(refused.value)
        thana.refresh_from_db()
        assert thana.status != Office.Status.CLOSED


def test_a_transfer_keeps_the_posts_files_and_dak_with_the_post(ef):
    with district_context("vaishali"):
        Posting.objects.filter(person=ef.people["sho"]).update(starts_on=TODAY - 30 * DAY)
        file = new_file(ef)
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sho"])
        letter = dak(ef)
        receipt_send(actor=ef.actor("clerk"), receipt=letter, to_post=ef.posts["sho"])
        assert post_marked_records(ef.posts["sho"]) == {"open files": 1, "open dak": 1}
        old = Posting.objects.get(person=ef.people["sho"], post=ef.posts["sho"])
        new_post = core_services.post_create(
            office=ef.offices["ef-sdpo-mahnar"],
            code="ef-mahnar-insp",
            title="Inspector Mahnar",
            kind=Post.Kind.INSPECTOR,
        )
        core_services.posting_transfer(actor=ef.actor("sp"), posting=old, to_post=new_post, on=TODAY)
        event = AuditEvent.objects.get(action="posting.transfer")
        assert event.details["kept_with_post"] == {"open files": 1, "open dak": 1}
        file.refresh_from_db()
        assert file.current_post == ef.posts["sho"]
        assert [row.number for row in inbox_page(viewer_for(ef.people["sho"]))] == []
        # The next holder of the SHO post finds them waiting.
        core_services.posting_start(person=ef.people["si"], post=ef.posts["sho"], starts_on=TODAY)
        assert {row.number for row in inbox_page(viewer_for(ef.people["si"]))} == {
            file.number,
            letter.diary_number,
        }
        with pytest.raises(ValidationError):  # and the post cannot close while they wait there
            core_services.post_close(actor=ef.actor("sp"), post=ef.posts["sho"])


def test_dak_files_moved_and_uploads_are_counted_per_week(ef):
    with district_context("vaishali"):
        weeks = week_starts(weeks=2, today=TODAY)
        before = district_figures(weeks=2, today=TODAY)["weeks"][-1]
        file = new_file(ef)
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"])
        dak(ef)
        after = district_figures(weeks=2, today=TODAY)["weeks"][-1]
        assert after["dak_diarised"] - before["dak_diarised"] == 1
        assert after["files_moved"] - before["files_moved"] == 1
        sp_office = ef.offices["sp-office"]
        rows = office_weekly_adoption(office_ids=[sp_office.pk, ef.offices["ef-sdpo-mahua"].pk], weeks=weeks)
        assert rows[sp_office.pk][-1]["files_moved"] >= 1 and rows[sp_office.pk][-1]["dak_diarised"] >= 1
        assert rows[ef.offices["ef-sdpo-mahua"].pk][-1]["files_moved"] == 0
