"""The letters' pages: the SP signs and sends, Muzaffarpur's clerk diarises, the sender sees the
status; no page of either district shows anything of the other, a letter cannot be delivered or
diarised by URL from the wrong district, and the verification page answers anyone."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.letters.tasks import letters_sweep
from core.models import ExchangeOutbox, IncomingLetter, OutgoingLetter, Receipt
from tenants.context import district_context
from tenants.models import District, OfficeDirectoryEntry
from tests.core.letters.letterwork import approved_letter, directory_entry, incoming
from tests.helpers import HostClient, sign_in_refused


def _url(name, *args):
    return reverse(name, args=args, urlconf="config.urls_district")


def test_sign_send_deliver_diarise_through_the_pages(ef):
    dispatch = approved_letter(ef)
    entry = directory_entry()
    sp = ef.client("sp")
    page = sp.get(_url("letters_letter", dispatch.pk))
    assert page.status_code == 200 and "Not signed" in page.content.decode()
    assert sp.post(_url("letters_letter", dispatch.pk)).status_code == 302
    assert "Signed" in sp.get(_url("letters_letter", dispatch.pk)).content.decode()
    pdf = sp.get(_url("letters_letter_pdf", dispatch.pk))
    signed = b"".join(pdf.streaming_content)
    assert signed.startswith(b"%PDF")

    choices = sp.get(_url("letters_send", dispatch.pk)).content.decode()
    assert "SP Office Muzaffarpur" in choices and "SP Office Vaishali" not in choices
    assert sp.post(_url("letters_send", dispatch.pk), {"to_office": "x"}).status_code == 400
    sent = sp.post(_url("letters_send", dispatch.pk), {"to_office": entry.pk})
    assert sent.status_code == 302
    letters_sweep()

    clerk = ef.client("other")
    [arrived] = incoming()
    assert arrived.documents[0]["sha256"] != ""
    listing = clerk.get(_url("letters_index")).content.decode()
    assert dispatch.number in listing
    done = clerk.post(_url("letters_incoming_diarise", arrived.pk))
    assert done.status_code == 302
    letters_sweep()
    with district_context("vaishali"):
        letter = OutgoingLetter.objects.get()
    status = sp.get(_url("letters_outgoing", letter.pk)).content.decode()
    assert "Diarised" in status and letter.diary_number in status

    # The signed copy that arrived verifies on the sender's public page, anonymously.
    anonymous = HostClient("vaishali")
    answer = anonymous.post(_url("letters_verify"), {"pdf": SimpleUploadedFile("l.pdf", signed)})
    assert answer.status_code == 200 and "VALID" in answer.content.decode()
    changed = bytearray(signed)
    changed[len(changed) // 2] ^= 1
    answer = anonymous.post(_url("letters_verify"), {"pdf": SimpleUploadedFile("l.pdf", bytes(changed))})
    assert "VALID" not in answer.content.decode()
    assert "ALTERED" in answer.content.decode() or "damaged" in answer.content.decode()


def test_nothing_of_one_district_is_reachable_from_the_other(ef, world):
    dispatch = approved_letter(ef)
    entry = directory_entry()
    sp = ef.client("sp")
    sp.post(_url("letters_send", dispatch.pk), {"to_office": entry.pk})
    letters_sweep()
    [arrived] = incoming()
    with district_context("vaishali"):
        letter = OutgoingLetter.objects.get()
    clerk = ef.client("other")
    # Muzaffarpur's clerk, on Muzaffarpur's host, asks for Vaishali's ids: there is nothing there.
    for name, pk in [
        ("letters_letter", dispatch.pk),
        ("letters_letter_pdf", dispatch.pk),
        ("letters_send", dispatch.pk),
        ("letters_outgoing", letter.pk),
    ]:
        assert clerk.get(_url(name, pk)).status_code == 404
    # Vaishali's SP asks for the incoming letter's id on Vaishali's host, and may not diarise it.
    assert sp.get(_url("letters_incoming", arrived.pk)).status_code == 404
    assert sp.post(_url("letters_incoming_diarise", arrived.pk)).status_code == 404
    # Muzaffarpur's clerk cannot sign in on Vaishali's host (no posting there), nor can someone
    # with no posting anywhere on Muzaffarpur's; as the anonymous they get 404 for every id.
    stranger = HostClient("vaishali")
    assert sign_in_refused(stranger.sign_in(ef.people["other"].login_id))
    assert stranger.get(_url("letters_outgoing", letter.pk)).status_code == 404
    unposted = HostClient("muzaffarpur")
    assert sign_in_refused(unposted.sign_in(world.unposted.login_id))
    for client in (unposted, HostClient("muzaffarpur")):
        assert client.post(_url("letters_incoming_diarise", arrived.pk)).status_code == 404
        assert client.get(_url("letters_incoming", arrived.pk)).status_code == 404
        assert client.get(_url("letters_index")).status_code == 302  # to sign in
    with district_context("muzaffarpur"):
        assert IncomingLetter.objects.get().status == IncomingLetter.Status.DELIVERED
        assert not Receipt.objects.exists()
    # The sender's letter page shows the status that came back and nothing else of Muzaffarpur.
    page = sp.get(_url("letters_outgoing", letter.pk)).content.decode()
    assert "Delivered" in page and "ef.other" not in page and "Ef Other" not in page


def test_a_forged_status_from_a_district_the_letter_was_not_sent_to_changes_nothing(ef):
    from core.letters.relay import deliver_pending
    from tenants.models import ExchangeMessage

    dispatch = approved_letter(ef)
    entry = directory_entry()
    with district_context("vaishali"):
        from core.letters.send import letter_send

        letter = letter_send(
            actor=ef.actor("sp"), post=ef.posts["sp"], dispatch=dispatch, to_office_id=entry.pk
        )
    # A message claiming, from Vaishali itself (not the receiver), that the letter was diarised.
    ExchangeMessage.objects.create(
        key="00000000-0000-0000-0000-000000000001",
        kind="status",
        from_district=District.objects.get(schema_name="vaishali"),
        to_district=District.objects.get(schema_name="vaishali"),
        payload={"letter_key": str(letter.key), "status": "diarised", "diary_number": "FAKE/1"},
    )
    with district_context("vaishali"):
        deliver_pending()
        letter.refresh_from_db()
    assert letter.status == OutgoingLetter.Status.QUEUED and letter.diary_number == ""


def test_a_letter_to_a_district_not_live_is_refused_with_the_reason(ef):
    import pytest
    from django.core.exceptions import ValidationError

    from core.letters.send import letter_send

    dispatch = approved_letter(ef)
    sitamarhi = District.objects.create(schema_name="sitamarhi", slug="sitamarhi", name="Sitamarhi")
    entry = OfficeDirectoryEntry.objects.create(
        district=sitamarhi, office_code="sp-office", name="SP Office Sitamarhi", kind="sp_office"
    )
    reasons = {"planned": "planned", "suspended": "suspended", "archived": "archived"}
    for status, word in reasons.items():
        District.objects.filter(pk=sitamarhi.pk).update(status=status)
        with district_context("vaishali"):
            with pytest.raises(ValidationError) as refused:
                letter_send(
                    actor=ef.actor("sp"), post=ef.posts["sp"], dispatch=dispatch, to_office_id=entry.pk
                )
            assert word in refused.value.message_dict["to_office"][0]
            assert not OutgoingLetter.objects.exists() and not ExchangeOutbox.objects.exists()
    # Nor can the picker offer it.
    sp = ef.client("sp")
    assert "Sitamarhi" not in sp.get(_url("letters_send", dispatch.pk)).content.decode()
    # Nor can one's own district be written to through the exchange.
    own = directory_entry("vaishali")
    with district_context("vaishali"), pytest.raises(ValidationError):
        letter_send(actor=ef.actor("sp"), post=ef.posts["sp"], dispatch=dispatch, to_office_id=own.pk)


def test_no_letters_url_names_a_district_delivery_is_only_by_task():
    from core.letters import urls

    params = {name for pattern in urls.urlpatterns for name in pattern.pattern.converters}
    # A file sent up is named by its id here; a paper by its place in the letter. None is a district.
    assert params == {"dispatch_id", "outgoing_id", "incoming_id", "circular_id", "file_id", "index"}
    names = {pattern.name for pattern in urls.urlpatterns}
    assert not any("deliver" in name or "relay" in name for name in names)


def test_the_verification_page_names_the_district_in_the_readers_language(world, db):
    english = HostClient("vaishali").get(_url("letters_verify")).content.decode()
    assert "officer of Vaishali district" in english and "वैशाली" not in english
    hindi = HostClient("vaishali", HTTP_ACCEPT_LANGUAGE="hi").get(_url("letters_verify")).content.decode()
    assert "वैशाली जिले के किसी अधिकारी" in hindi and "Vaishali जिले" not in hindi
