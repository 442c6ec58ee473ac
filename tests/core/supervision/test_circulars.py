"""Circulars (issue 22.3): the DIG's one letter to many districts arrives in each as inward dak;
the DIG sees which districts diarised it and which replied. Refused from a district, refused
whole when an addressee cannot receive, and a reply only counts from the district written to."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from core.efile.services.dispatch import dispatch_record
from core.letters.circular import circular_send
from core.letters.diarise import incoming_letter_diarise
from core.letters.send import letter_send
from core.models import Circular, IncomingLetter, OutgoingLetter
from tenants.context import district_context
from tenants.models import District, ExchangeMessage
from tests.core.letters.letterwork import approved_letter, deliver, directory_entry, relay
from tests.core.supervision.rangework import dig_actor, dig_client, dig_dispatch
from tests.helpers import HostClient


def _circular(tirhut) -> Circular:
    dispatch = dig_dispatch(tirhut, subject="Circular: returns of pending warrants by the 10th")
    offices = [directory_entry("vaishali").pk, directory_entry("muzaffarpur").pk]
    with district_context("tirhut"):
        return circular_send(
            actor=dig_actor(tirhut), post=tirhut.post, dispatch=dispatch, to_office_ids=offices
        )


def _arrived(slug: str, number: str) -> IncomingLetter:
    with district_context(slug):
        return IncomingLetter.objects.get(number=number)


def _letters(circular) -> dict[str, OutgoingLetter]:
    with district_context("tirhut"):
        return {letter.to_district_schema: letter for letter in circular.letters.all()}


def test_a_circular_arrives_in_each_district_and_the_dig_sees_diarised_and_replied(ef, tirhut):
    circular = _circular(tirhut)
    number = circular.dispatch.number
    relay("tirhut")
    assert deliver("vaishali") == 1 and deliver("muzaffarpur") == 1
    vaishali_copy, muzaffarpur_copy = _arrived("vaishali", number), _arrived("muzaffarpur", number)
    assert vaishali_copy.key != muzaffarpur_copy.key
    assert vaishali_copy.sender_post == "DIG Tirhut"
    # Vaishali's dak clerk diarises it.
    with district_context("vaishali"):
        receipt = incoming_letter_diarise(
            actor=ef.actor("clerk"), post=ef.posts["clerk"], incoming=vaishali_copy
        )
    # Muzaffarpur's SP office replies to it.
    with district_context("muzaffarpur"):
        answer = dispatch_record(
            actor=ef.actor("other"),
            post=ef.posts["other"],
            addressee="DIG Tirhut",
            subject="Return of warrants",
        )
        letter_send(
            actor=ef.actor("other"),
            post=ef.posts["other"],
            dispatch=answer,
            to_office_id=directory_entry("tirhut").pk,
            in_reply_to=muzaffarpur_copy,
        )
    for slug in ("vaishali", "muzaffarpur"):
        relay(slug)
    deliver("tirhut")
    letters = _letters(circular)
    assert letters["vaishali"].status == OutgoingLetter.Status.DIARISED
    assert letters["vaishali"].diary_number == receipt.diary_number
    assert letters["vaishali"].replied_at is None
    assert letters["muzaffarpur"].status == OutgoingLetter.Status.DELIVERED
    assert letters["muzaffarpur"].replied_at is not None
    assert letters["muzaffarpur"].reply_number == answer.number
    page = dig_client(tirhut).get(f"/letters/circulars/{circular.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "2 offices: 1 diarised, 1 replied" in text
    assert receipt.diary_number in text and answer.number in text
    # The statuses of the reply travel back; then rerunning every step changes nothing.
    everywhere = ("tirhut", "vaishali", "muzaffarpur")
    for slug in everywhere:
        relay(slug)
    for slug in everywhere:
        deliver(slug)
    for slug in everywhere:
        assert not relay(slug)
    assert [deliver(slug) for slug in everywhere] == [0, 0, 0]
    assert _letters(circular)["muzaffarpur"].reply_number == answer.number


def test_a_district_sends_no_circular(ef, tirhut):
    dispatch = approved_letter(ef)
    with district_context("vaishali"), pytest.raises(ValidationError) as refused:
        circular_send(
            actor=ef.actor("sp"),
            post=ef.posts["sp"],
            dispatch=dispatch,
            to_office_ids=[directory_entry("muzaffarpur").pk, directory_entry("tirhut").pk],
        )
    assert refused.value.code == "not_supervising"
    assert ef.client("sp").get(f"/letters/dispatch/{dispatch.pk}/circular/").status_code == 404


@pytest.mark.parametrize("status", [District.Status.SUSPENDED, District.Status.ARCHIVED])
def test_a_circular_with_an_addressee_that_cannot_receive_is_refused_whole(ef, tirhut, status):
    dispatch = dig_dispatch(tirhut)
    offices = [directory_entry("vaishali").pk, directory_entry("muzaffarpur").pk]
    District.objects.filter(slug="muzaffarpur").update(status=status)
    with district_context("tirhut"):
        with pytest.raises(ValidationError) as refused:
            circular_send(actor=dig_actor(tirhut), post=tirhut.post, dispatch=dispatch, to_office_ids=offices)
        assert not Circular.objects.exists() and not OutgoingLetter.objects.exists()
    assert "Muzaffarpur" in str(refused.value.message_dict["to_offices"])


def test_a_circular_needs_two_offices_from_the_list(ef, tirhut):
    dispatch = dig_dispatch(tirhut)
    with district_context("tirhut"):
        for offices in ([directory_entry("vaishali").pk], [directory_entry("vaishali").pk, 10**12]):
            with pytest.raises(ValidationError):
                circular_send(
                    actor=dig_actor(tirhut), post=tirhut.post, dispatch=dispatch, to_office_ids=offices
                )
        assert not OutgoingLetter.objects.exists()
    dig = dig_client(tirhut)
    response = dig.post(f"/letters/dispatch/{dispatch.pk}/circular/", {"to_offices": ["x"]})
    assert response.status_code == 400


def test_a_reply_from_a_district_not_written_to_marks_nothing(ef, tirhut):
    circular = _circular(tirhut)
    relay("tirhut")
    deliver("muzaffarpur")
    target = _letters(circular)["muzaffarpur"]
    # Vaishali (which got its own copy, with another key) claims to answer Muzaffarpur's copy.
    vaishali = District.objects.get(slug="vaishali")
    ExchangeMessage.objects.create(
        key=uuid.uuid4(),
        kind=ExchangeMessage.Kind.LETTER,
        from_district=vaishali,
        to_district=District.objects.get(slug="tirhut"),
        payload={
            "to_office_code": "sp-office",
            "from_district_name": "Vaishali",
            "sender_office": "SP Office Vaishali",
            "sender_post": "SP Vaishali",
            "number": "FORGED/1",
            "letter_date": "2026-12-01",
            "subject": "A forged reply",
            "in_reply_to": str(target.key),
        },
    )
    deliver("tirhut")
    assert _letters(circular)["muzaffarpur"].replied_at is None
    # And the sending district's own form refuses a reply addressed elsewhere.
    muzaffarpur_copy = _arrived("muzaffarpur", circular.dispatch.number)
    with district_context("muzaffarpur"):
        answer = dispatch_record(
            actor=ef.actor("other"), post=ef.posts["other"], addressee="SP Vaishali", subject="Misdirected"
        )
        with pytest.raises(ValidationError) as refused:
            letter_send(
                actor=ef.actor("other"),
                post=ef.posts["other"],
                dispatch=answer,
                to_office_id=directory_entry("vaishali").pk,
                in_reply_to=muzaffarpur_copy,
            )
    assert "in_reply_to" in refused.value.message_dict


def test_a_circular_page_is_the_senders_only(ef, tirhut, world):
    circular = _circular(tirhut)
    assert dig_client(tirhut).get(f"/letters/circulars/{circular.pk}/").status_code == 200
    assert HostClient("tirhut").get(f"/letters/circulars/{circular.pk}/").status_code == 404
    # A district officer asking their own host for the id gets nothing (it names no circular there).
    assert ef.client("sp").get(f"/letters/circulars/{circular.pk}/").status_code == 404
