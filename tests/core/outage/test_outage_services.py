"""Declaring an outage reserves numbers; back-entry goes through the e-File's services with true
times, marked, audited at entry time; every refusal of issue 18's "Bad input"."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.base.audit import Actor
from core.efile.selectors.pending import BUCKETS
from core.efile.services.receipts import receipt_diarise
from core.models import AuditEvent, BackEntry, Document, Movement, Note, Office, Outage, OutageNumber, Receipt
from core.outage.selectors import outage_report
from core.outage.services import (
    outage_dak_back_enter,
    outage_declare,
    outage_end,
    outage_movement_back_enter,
    outage_note_back_enter,
)
from tests.core.outage.conftest import admin_actor, ago, file_from_before, sent_on_the_slip

pytestmark = pytest.mark.django_db


def _png() -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "PNG")
    return SimpleUploadedFile("register-page.png", out.getvalue(), content_type="image/png")


def _declare(ef, office_code="ef-sdpo-mahua", **extra) -> Outage:
    office = ef.offices[office_code] if office_code else None
    fields = {"started_at": ago(hours=6), "diary_count": 5, "slip_count": 3} | extra
    return outage_declare(actor=admin_actor(), office=office, **fields)


def _dak(ef, outage, *, key="sdpoclerk", number=None, at=None, **extra) -> Receipt:
    if number is None:
        number = outage.numbers.filter(kind="diary", used_at__isnull=True).first().number
    fields = {"mode": Receipt.Mode.POST, "sender": "DM Vaishali", "subject": "Flood duty roster"} | extra
    return outage_dak_back_enter(
        actor=ef.actor(key),
        outage=outage,
        post=ef.posts[key],
        number=number,
        occurred_at=at or ago(hours=5),
        **fields,
    )


def test_declaring_reserves_numbers_that_live_diarising_skips(ef, vaishali):
    clerk = ef.actor("sdpoclerk")
    before = receipt_diarise(actor=clerk, post=ef.posts["sdpoclerk"], mode="post", sender="A", subject="B")
    outage = _declare(ef)
    diary = list(outage.numbers.filter(kind="diary").values_list("serial", flat=True))
    assert diary == [before.serial + n for n in range(1, 6)]
    assert outage.numbers.filter(kind="slip").count() == 3
    after = receipt_diarise(actor=clerk, post=ef.posts["sdpoclerk"], mode="post", sender="A", subject="C")
    assert after.serial == before.serial + 6
    event = AuditEvent.objects.get(action="outage.declare", target_id=str(outage.pk))
    assert event.details["numbers"] == 8


def test_whole_district_outage_reserves_for_every_open_office(ef, vaishali):
    outage = _declare(ef, office_code=None, diary_count=2, slip_count=1)
    open_offices = Office.objects.exclude(status=Office.Status.CLOSED).count()
    assert outage.numbers.values("office").distinct().count() == open_offices
    assert outage.numbers.count() == open_offices * 3


def test_sp_may_declare_but_an_sdpo_or_a_clerk_may_not(ef, vaishali):
    assert outage_declare(actor=ef.actor("sp"), office=ef.offices["ef-sdpo-mahua"], started_at=ago(hours=1))
    for key in ("sdpo", "clerk"):
        with pytest.raises(ValidationError, match="Only the district admin or the SP"):
            outage_declare(actor=ef.actor(key), office=ef.offices["ef-sdpo-mahnar"], started_at=ago(hours=1))
    assert not Outage.objects.filter(office=ef.offices["ef-sdpo-mahnar"]).exists()


def test_declaring_refuses_a_future_start_a_second_open_outage_and_silly_counts(ef, vaishali):
    with pytest.raises(ValidationError, match="cannot start in the future"):
        _declare(ef, started_at=timezone.now() + datetime.timedelta(hours=1))
    with pytest.raises(ValidationError, match="between 1 and"):
        _declare(ef, diary_count=0)
    with pytest.raises(ValidationError, match="between 1 and"):
        _declare(ef, slip_count=100000)
    _declare(ef)
    with pytest.raises(ValidationError, match="still open"):
        _declare(ef)
    with pytest.raises(ValidationError, match="still open"):
        _declare(ef, office_code=None)
    assert Outage.objects.count() == 1
    assert OutageNumber.objects.count() == 8


def test_dak_back_entered_with_its_true_time_reserved_number_and_scan(ef, vaishali):
    outage = _declare(ef)
    true_time = ago(hours=5)
    number = outage.numbers.filter(kind="diary").order_by("serial")[2]
    receipt = _dak(ef, outage, number=number.number, at=true_time, uploads=[_png()])
    assert receipt.diary_number == number.number
    assert receipt.received_on == timezone.localdate(true_time)
    assert receipt.created_at == true_time and receipt.arrived_at == true_time
    assert receipt.back_entered_at is not None and receipt.back_entered_at > true_time
    assert receipt.arrival_entered_at == receipt.back_entered_at
    created = Movement.objects.get(receipt=receipt)
    assert created.at == true_time and created.back_entered_at is not None
    assert Document.objects.filter(receipt=receipt).count() == 1
    number.refresh_from_db()
    assert number.used_at is not None
    event = AuditEvent.objects.get(action="receipt.diarise", target_id=str(receipt.pk))
    assert event.at >= receipt.back_entered_at  # the chain has it at its entry time
    assert event.details["occurred_at"] == true_time.isoformat() and event.details["back_entered"]
    entry = AuditEvent.objects.get(action="outage.back_enter")
    assert entry.details["number"] == number.number


def test_a_reserved_number_is_used_once(ef, vaishali):
    outage = _declare(ef)
    number = outage.numbers.filter(kind="diary").first().number
    _dak(ef, outage, number=number)
    with pytest.raises(ValidationError, match="already been back-entered"):
        _dak(ef, outage, number=number)
    assert Receipt.objects.filter(diary_number=number).count() == 1


def test_numbers_not_reserved_here_or_of_another_office_are_refused(ef, vaishali):
    outage = _declare(ef, office_code=None, diary_count=2, slip_count=1)
    sp_number = outage.numbers.filter(kind="diary", office=ef.offices["sp-office"]).first().number
    with pytest.raises(ValidationError, match="reserved for another office"):
        _dak(ef, outage, number=sp_number)  # the SDPO office's clerk
    for bad in ("SDPOMAH/2020/999999", "", "'; DROP TABLE core_receipt; --", "x" * 500):
        with pytest.raises(ValidationError, match="not a number reserved"):
            _dak(ef, outage, number=bad)
    slip = outage.numbers.filter(kind="slip", office=ef.offices["ef-sdpo-mahua"]).first().number
    with pytest.raises(ValidationError, match="not a number reserved"):
        _dak(ef, outage, number=slip)  # a slip is not a diary number
    assert (
        not BackEntry.objects.exists() and not Receipt.objects.filter(back_entered_at__isnull=False).exists()
    )


def test_back_entry_outside_the_outage_is_refused(ef, vaishali):
    outage = _declare(ef, started_at=ago(hours=6))
    with pytest.raises(ValidationError, match="cannot be dated before"):
        _dak(ef, outage, at=ago(hours=7))
    with pytest.raises(ValidationError, match="cannot be in the future"):
        _dak(ef, outage, at=timezone.now() + datetime.timedelta(minutes=5))
    outage_end(actor=admin_actor(), outage=outage, ended_at=ago(hours=2))
    with pytest.raises(ValidationError, match="ended at"):
        _dak(ef, outage, at=ago(hours=1))
    with pytest.raises(ValidationError, match="declared for"):
        _dak(ef, outage, key="clerk")  # the SP office was not down
    assert not outage.numbers.filter(used_at__isnull=False).exists()
    assert not Receipt.objects.filter(back_entered_at__isnull=False).exists()


def test_ending_refuses_before_start_future_twice_and_non_managers(ef, vaishali):
    outage = _declare(ef, started_at=ago(hours=6))
    with pytest.raises(ValidationError, match="cannot end before"):
        outage_end(actor=admin_actor(), outage=outage, ended_at=ago(hours=7))
    with pytest.raises(ValidationError, match="future"):
        outage_end(actor=admin_actor(), outage=outage, ended_at=timezone.now() + datetime.timedelta(hours=1))
    with pytest.raises(ValidationError, match="Only the district admin"):
        outage_end(actor=ef.actor("sdpo"), outage=outage, ended_at=ago(hours=1))
    _dak(ef, outage, at=ago(hours=3))
    with pytest.raises(ValidationError, match="back-entered at"):
        outage_end(actor=admin_actor(), outage=outage, ended_at=ago(hours=4))
    outage_end(actor=admin_actor(), outage=outage, ended_at=ago(hours=1))
    with pytest.raises(ValidationError, match="already ended"):
        outage_end(actor=admin_actor(), outage=outage, ended_at=ago(minutes=30))
    assert AuditEvent.objects.filter(action="outage.end").count() == 1


def test_dak_marked_on_during_the_outage_moves_with_its_true_time(ef, vaishali):
    outage = _declare(ef)
    receipt = _dak(ef, outage, at=ago(hours=5))
    slip = outage.numbers.filter(kind="slip").first()
    moved_at = ago(hours=4)
    movement = outage_movement_back_enter(
        actor=ef.actor("sdpoclerk"),
        outage=outage,
        item=receipt,
        to_post=ef.posts["sdpo"],
        number=slip.number,
        occurred_at=moved_at,
        remarks="For orders",
    )
    assert movement.at == moved_at and movement.back_entered_at is not None
    receipt.refresh_from_db()
    assert receipt.current_post == ef.posts["sdpo"] and receipt.arrived_at == moved_at
    assert receipt.arrival_entered_at == movement.back_entered_at
    with pytest.raises(ValidationError, match="already been back-entered"):
        outage_movement_back_enter(
            actor=ef.actor("sdpo"),
            outage=outage,
            item=receipt,
            to_post=ef.posts["sdpoclerk"],
            number=slip.number,
            occurred_at=ago(hours=3),
        )


def test_a_movement_cannot_be_dated_before_the_item_reached_the_post(ef, vaishali):
    outage = _declare(ef)
    receipt = _dak(ef, outage, at=ago(hours=3))
    slip = outage.numbers.filter(kind="slip").first()
    with pytest.raises(ValidationError, match="reached this post only at"):
        outage_movement_back_enter(
            actor=ef.actor("sdpoclerk"),
            outage=outage,
            item=receipt,
            to_post=ef.posts["sdpo"],
            number=slip.number,
            occurred_at=ago(hours=4),
        )
    slip.refresh_from_db()
    assert slip.used_at is None


def test_file_note_and_movement_back_entered_feed_pendency_with_true_dates(ef, vaishali):
    outage = _declare(ef, started_at=ago(days=6))
    file = file_from_before(ef, "sdpoclerk", days=10)
    note = outage_note_back_enter(
        actor=ef.actor("sdpoclerk"),
        outage=outage,
        file=file,
        body="Put up for orders.",
        occurred_at=ago(days=5),
    )
    assert note.created_at < ago(days=4) and note.back_entered_at is not None
    sent_on_the_slip(ef, outage, file, occurred_at=ago(days=4))
    file.refresh_from_db()
    assert file.current_post == ef.posts["sdpo"]
    bucket = next(b for b in BUCKETS if b.key == "3-7")
    assert type(file).objects.filter(bucket.q(timezone.now()), pk=file.pk).exists()  # 4 days, not 0
    note.refresh_from_db()
    assert note.frozen  # the file moved on after it


def test_note_back_entry_refused_on_a_file_not_at_the_post_or_outside_the_office(ef, vaishali):
    outage = _declare(ef)
    file = file_from_before(ef, "clerk", days=1)  # at the SP office, not covered
    with pytest.raises(ValidationError, match="not at your post"):
        outage_note_back_enter(
            actor=ef.actor("sdpoclerk"), outage=outage, file=file, body="x", occurred_at=ago(hours=2)
        )
    with pytest.raises(ValidationError, match="declared for"):
        outage_note_back_enter(
            actor=ef.actor("clerk"), outage=outage, file=file, body="x", occurred_at=ago(hours=2)
        )
    assert not Note.objects.filter(file=file).exists()


def test_report_counts_what_was_produced_and_what_is_left(ef, vaishali):
    outage = _declare(ef, started_at=ago(days=2))
    receipt = _dak(ef, outage, at=ago(days=1))
    _dak(ef, outage, at=ago(hours=20))
    sent_on_the_slip(ef, outage, receipt, occurred_at=ago(hours=23))
    file = file_from_before(ef, "sdpoclerk", days=3)
    outage_note_back_enter(
        actor=ef.actor("sdpoclerk"), outage=outage, file=file, body="n", occurred_at=ago(hours=30)
    )
    report = outage_report(outage)
    assert (report.dak, report.notes, report.movements) == (2, 1, 1)
    assert report.diary_left == 3 and report.slips_left == 2
    assert [row.kind for row in report.entries] == ["note", "dak", "movement", "dak"]
    assert len(report.unused_diary) == 3


def test_a_person_without_a_posting_cannot_declare(world, ef, vaishali):
    with pytest.raises(ValidationError):
        outage_declare(actor=Actor(person=world.unposted), office=None, started_at=ago(hours=1))
