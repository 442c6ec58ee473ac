"""A file sent up to the range DIG (issue 22.2): "a DIG may read a file that an SP sends up to him;
he does not browse the district". The file travels as a letter with a read-only snapshot (notes,
track, papers) through the exchange; the DIG reads it in his own tenant; both ends audit it.
Isolation and bad input: a file the sender may not see, another district's people, a district or
another range as the addressee, a suspended range, forged snapshot keys."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from core.efile.services.documents import document_upload
from core.efile.services.movement import file_receive, file_send
from core.efile.services.notes import note_add
from core.letters.file_up import file_send_up
from core.letters.snapshot import snapshot_clean, snapshot_for_page
from core.models import AuditEvent, Dispatch, ExchangeOutbox, IncomingLetter, OutgoingLetter
from tenants.context import district_context
from tenants.models import District, ExchangeMessage, OfficeDirectoryEntry, PoliceRange
from tests.core.efile.filework import open_file
from tests.core.efile.samples import pdf_bytes, upload
from tests.core.letters.letterwork import deliver, directory_entry, relay
from tests.core.supervision.rangework import dig_client
from tests.helpers import HostClient

NOTE = "Rs 4.2 lakh for six computers; the DSP asks for sanction of the range."
OTHER_NOTE = "Informer Suresh of Lalganj: never to leave the district."


def _file_at_the_sp(ef):
    """A Vaishali file noted by the clerk, with a PDF on it, sent to and taken in by the SP."""
    with district_context("vaishali"):
        file = open_file(ef)
        note_add(actor=ef.actor("clerk"), file=file, body=NOTE)
        document_upload(
            actor=ef.actor("clerk"),
            file=file,
            uploads=[upload("quotation.pdf", pdf_bytes(), "application/pdf")],
        )
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sp"], remarks="For the DIG")
        file_receive(actor=ef.actor("sp"), file=file)
        other = open_file(ef)  # another file of the same office: must not travel with the first
        note_add(actor=ef.actor("clerk"), file=other, body=OTHER_NOTE)
        return file


def _tirhut_entry():
    return directory_entry("tirhut", "sp-office")


def _counts():
    with district_context("vaishali"):
        return (Dispatch.objects.count(), OutgoingLetter.objects.count(), ExchangeOutbox.objects.count())


def test_the_sp_sends_a_file_up_and_the_dig_reads_it_in_his_own_tenant(ef, tirhut):
    file = _file_at_the_sp(ef)
    entry = _tirhut_entry()
    sp = ef.client("sp")
    form = sp.get(f"/letters/file/{file.pk}/send-up/")
    assert form.status_code == 200 and f'value="{entry.pk}"' in form.content.decode()
    response = sp.post(
        f"/letters/file/{file.pk}/send-up/", {"to_office": entry.pk, "remarks": "Sanction sought"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with district_context("vaishali"):
        letter = OutgoingLetter.objects.get()
        assert letter.dispatch.file_id == file.pk and letter.to_district_schema == "tirhut"
        assert AuditEvent.objects.filter(action="file.send_up", target_id=str(file.pk)).count() == 1
        assert AuditEvent.objects.filter(action="letter.send").count() == 1
    relay("vaishali")
    assert deliver("tirhut") == 1
    with district_context("tirhut"):
        incoming = IncomingLetter.objects.get()
        snapshot = incoming.file_snapshot
    assert snapshot["number"] == file.number and snapshot["remarks"] == "Sanction sought"
    assert [n["body"] for n in snapshot["notes"]] == [NOTE]
    assert snapshot["track"][-1]["to"].startswith("SP Vaishali") and snapshot["track"][-1]["action"] == "sent"
    assert [p["title"] for p in snapshot["papers"]] == ["quotation.pdf"] or len(snapshot["papers"]) == 1
    assert len(incoming.documents) == 2  # the file as a PDF, and its one document

    dig = dig_client(tirhut)
    page = dig.get(f"/letters/received/{incoming.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert NOTE in text and file.number in text and "Sanction sought" in text
    for index in range(2):
        paper = dig.get(f"/letters/received/{incoming.pk}/papers/{index}/")
        assert paper.status_code == 200 and paper.content.startswith(b"%PDF")
        assert paper["X-Content-Type-Options"] == "nosniff"
    assert dig.get(f"/letters/received/{incoming.pk}/papers/2/").status_code == 404
    with district_context("tirhut"):
        assert AuditEvent.objects.filter(action="letter.deliver").count() == 1
        assert AuditEvent.objects.filter(action="letter.read").count() == 3  # the page, two papers

    # The sender sees delivered, and nothing more of the range.
    relay("tirhut")
    deliver("vaishali")
    outgoing = sp.get(f"/letters/sent/{letter.pk}/").content.decode()
    with district_context("vaishali"):
        assert OutgoingLetter.objects.get().status == OutgoingLetter.Status.DELIVERED
    assert "Delivered" in outgoing


def test_the_snapshot_holds_this_file_and_nothing_else_of_the_district(ef, tirhut):
    file = _file_at_the_sp(ef)
    with district_context("vaishali"):
        file_send_up(actor=ef.actor("sp"), post=ef.posts["sp"], file=file, to_office_id=_tirhut_entry().pk)
    relay("vaishali")
    message = ExchangeMessage.objects.get(to_district__schema_name="tirhut")
    assert NOTE in str(message.payload)
    assert OTHER_NOTE not in str(message.payload)
    assert not any(OTHER_NOTE.encode() in bytes(a.content) for a in message.attachments.all())
    deliver("tirhut")
    with district_context("tirhut"):
        incoming = IncomingLetter.objects.get()
    assert OTHER_NOTE not in dig_client(tirhut).get(f"/letters/received/{incoming.pk}/").content.decode()


def test_a_receiver_keeps_only_the_snapshots_known_fields():
    forged = {
        "number": "SPVAI/2025/1",
        "notes": [{"seq": 1, "body": "ok", "post": "SP", "at": "", "secret": "x"}, "junk"],
        "schema": "vaishali",
        "track": "not a list",
    }
    clean = snapshot_clean(forged)
    assert "schema" not in clean and clean["track"] == [] and clean["papers"] == []
    assert clean["notes"] == [{"seq": "1", "body": "ok", "post": "SP", "at": ""}]
    assert snapshot_clean("a string") == {} and snapshot_clean({}) == {}
    page = snapshot_for_page(
        snapshot_clean(
            {"track": [{"action": "sent", "at": "2026-12-07T18:49+05:30"}, {"action": "x", "at": "?"}]}
        )
    )
    assert page["track"][0]["action"] == "Sent" and page["track"][0]["at"].hour == 18
    assert page["track"][1]["action"] == "x" and page["track"][1]["at"] is None
    assert page["track"][1]["at_text"] == "?"


def test_a_file_the_sender_may_not_see_cannot_be_sent(ef, tirhut):
    file = _file_at_the_sp(ef)
    entry = _tirhut_entry()
    before = _counts()
    mahnar = ef.client("mahnar")  # an SDPO with nothing over the SP office
    assert mahnar.get(f"/letters/file/{file.pk}/send-up/").status_code == 404
    assert mahnar.post(f"/letters/file/{file.pk}/send-up/", {"to_office": entry.pk}).status_code == 404
    with district_context("vaishali"), pytest.raises(ValidationError) as refused:
        file_send_up(actor=ef.actor("mahnar"), post=ef.posts["mahnar"], file=file, to_office_id=entry.pk)
    assert refused.value.code == "not_visible"
    assert _counts() == before


def test_another_districts_people_and_people_without_a_posting_get_nothing(ef, tirhut, world):
    file = _file_at_the_sp(ef)
    entry = _tirhut_entry()
    before = _counts()
    outsider = HostClient("vaishali")  # Muzaffarpur's clerk on Vaishali's host: the gate refuses
    outsider.sign_in(ef.people["other"].login_id)
    for client in (outsider, HostClient("vaishali")):  # and the anonymous
        response = client.post(f"/letters/file/{file.pk}/send-up/", {"to_office": entry.pk})
        assert response.status_code in (302, 403, 404)
    no_posting = HostClient("vaishali")
    no_posting.sign_in("no.posting")
    assert no_posting.get(f"/letters/file/{file.pk}/send-up/").status_code in (302, 403, 404)
    # Muzaffarpur's own host with Vaishali's file id: 404, and nothing leaves as Vaishali.
    other = ef.client("other")
    assert other.post(f"/letters/file/{file.pk}/send-up/", {"to_office": entry.pk}).status_code == 404
    assert _counts() == before
    assert not ExchangeMessage.objects.filter(from_district__schema_name="vaishali").exists()


def test_a_letter_sent_up_reaches_only_its_range_and_its_papers_only_the_range_offices_people(ef, tirhut):
    file = _file_at_the_sp(ef)
    with district_context("vaishali"):
        file_send_up(actor=ef.actor("sp"), post=ef.posts["sp"], file=file, to_office_id=_tirhut_entry().pk)
    relay("vaishali")
    assert deliver("muzaffarpur") == 0
    assert deliver("tirhut") == 1
    with district_context("tirhut"):
        incoming = IncomingLetter.objects.get()
    with district_context("muzaffarpur"):
        assert not IncomingLetter.objects.filter(key=incoming.key).exists()
    # Vaishali's SP, on the range host, is not let in; on his own host the id names nothing.
    for client in (HostClient("tirhut"), ef.client("sp"), ef.client("other")):
        assert client.get(f"/letters/received/{incoming.pk}/papers/0/").status_code in (302, 404)
        assert NOTE not in client.get(f"/letters/received/{incoming.pk}/").content.decode()


def _refused(ef, file, entry) -> str:
    response = ef.client("sp").post(f"/letters/file/{file.pk}/send-up/", {"to_office": entry.pk})
    assert response.status_code == 400
    return response.content.decode()


def test_sending_up_to_a_district_another_range_or_a_suspended_range_is_refused_clearly(ef, tirhut):
    file = _file_at_the_sp(ef)
    before = _counts()
    assert "does not supervise Vaishali" in _refused(ef, file, directory_entry("muzaffarpur"))
    connection.set_schema_to_public()  # the request left the connection in Vaishali's schema
    saran = District.objects.create(
        slug="saran-range",
        schema_name="saran_range",
        name="Saran",
        kind=District.Kind.RANGE,
        police_range=PoliceRange.objects.create(name="Saran", name_hi="सारण"),
        status=District.Status.LIVE,
    )
    saran_office = OfficeDirectoryEntry.objects.create(
        district=saran, office_code="sp-office", name="DIG Office, Saran Range", kind="other"
    )
    assert "does not supervise Vaishali" in _refused(ef, file, saran_office)
    entry = _tirhut_entry()
    District.objects.filter(slug="tirhut").update(status=District.Status.SUSPENDED)
    assert "Tirhut is suspended on Karyalay" in _refused(ef, file, entry)
    # Nor may it be picked: the form lists only the live range over Vaishali.
    form = ef.client("sp").get(f"/letters/file/{file.pk}/send-up/").content.decode()
    assert f'value="{entry.pk}"' not in form and f'value="{saran_office.pk}"' not in form
    bad = ef.client("sp").post(f"/letters/file/{file.pk}/send-up/", {"to_office": "x'; drop"})
    assert bad.status_code == 400 and "Choose an office from the list." in bad.content.decode()
    missing = ef.client("sp").post(f"/letters/file/{file.pk}/send-up/", {"to_office": "999999999"})
    assert missing.status_code == 400 and "Choose an office from the list." in missing.content.decode()
    assert _counts() == before


def test_headquarters_takes_a_file_up_from_any_district(ef, tirhut, phq):
    file = _file_at_the_sp(ef)
    entry = directory_entry("phq", "sp-office")
    assert entry.name == "Police Headquarters, Patna"
    form = ef.client("sp").get(f"/letters/file/{file.pk}/send-up/").content.decode()
    assert f'value="{entry.pk}"' in form and f'value="{_tirhut_entry().pk}"' in form
    with district_context("vaishali"):
        file_send_up(actor=ef.actor("sp"), post=ef.posts["sp"], file=file, to_office_id=entry.pk)
    relay("vaishali")
    assert deliver("phq") == 1 and deliver("tirhut") == 0
    ig = HostClient("phq")
    ig.sign_in(phq.ig.login_id)
    with district_context("phq"):
        incoming = IncomingLetter.objects.get()
    assert NOTE in ig.get(f"/letters/received/{incoming.pk}/").content.decode()
