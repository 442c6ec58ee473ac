"""Replying to an RTI application: only the PIO, once, with a dated letter; a rejection names the
section, the appellate authority and the period; what was disclosed goes in the audit trail; the
reply form's page refuses others (404 for those who cannot see the application)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from core.efile.services.documents import document_upload
from core.models import AuditEvent, RtiApplication, RtiReply
from core.rti.services.appeals import rti_deemed_refusals_mark
from core.rti.services.applications import rti_receive
from core.rti.services.replies import rti_reply
from tenants.context import district_context
from tests.core.efile.filework import open_file
from tests.core.efile.samples import image_bytes, pdf_bytes, upload
from tests.core.rti.test_rti_receive import receive
from tests.helpers import HostClient, next_id_in_both_districts, sign_in_refused

TODAY = timezone.localdate()
APPLICANT = "सुरेश प्रसाद"


def pio_documents(ef, *files, key="pio"):
    """Documents uploaded to a new file at ``key``'s post: ``files`` are (name, bytes, type)."""
    file = open_file(ef, key)
    return document_upload(
        actor=ef.actor(key), file=file, uploads=[upload(name, data, kind) for name, data, kind in files]
    )


def a_pdf_and_an_image(ef, key="pio"):
    return pio_documents(
        ef, ("order.pdf", pdf_bytes(2), "application/pdf"), ("scan.png", image_bytes(), "image/png"), key=key
    )


def reply(ef, application, key="pio", **extra):
    values = {
        "kind": RtiReply.Kind.INFORMATION,
        "language": "hi",
        "replied_on": TODAY,
        "body": "मांगी गई सूचना संलग्न है।",
        "appeal_authority": "पुलिस अधीक्षक, वैशाली",
    } | extra
    return rti_reply(actor=ef.actor(key), application=application, **values)


def rejection(**extra) -> dict:
    return {
        "kind": RtiReply.Kind.REJECTION,
        "rejection_section": "8(1)(h)",
        "appeal_authority": "Superintendent of Police, Vaishali",
        "appeal_days": 30,
    } | extra


def muzaffarpur_application(ef) -> RtiApplication:
    """An application of Muzaffarpur's SP office whose PIO is the Muzaffarpur clerk (``ef.other``)."""
    with district_context("muzaffarpur"):
        return rti_receive(
            actor=ef.actor("other"),
            office=ef.mzp_office,
            received_on=TODAY - datetime.timedelta(days=3),
            mode=RtiApplication.Mode.POST,
            applicant_name="Kanti applicant",
            applicant_address="Kanti",
            subject="Muzaffarpur question",
            pio_post=ef.posts["other"],
        )


# --- the service -------------------------------------------------------------------------------


def test_the_pio_replies_and_the_audit_lists_every_disclosed_document(ef, django_capture_on_commit_callbacks):
    HUEY.flush()
    with district_context("vaishali"):
        application = receive(ef)
        documents = a_pdf_and_an_image(ef)
        with django_capture_on_commit_callbacks(execute=True):
            made = reply(ef, application, documents=documents)
        application.refresh_from_db()
        assert application.status == RtiApplication.Status.REPLIED and application.replied_on == TODAY
        assert made.status == RtiReply.Status.QUEUED and made.post_id == ef.posts["pio"].pk
        assert set(made.documents.all()) == set(documents)
        event = AuditEvent.objects.get(action="rti.reply")
        assert event.post_id == ef.posts["pio"].pk and event.target_id == str(application.pk)
        listed = event.details["documents"]
        assert [item["id"] for item in listed] == sorted(document.pk for document in documents)
        for item in listed:
            version = next(d for d in documents if d.pk == item["id"]).versions.get()
            assert item == {
                "id": version.document_id,
                "title": version.document.title,
                "version": 1,
                "sha256": version.sha256,
            }
    assert HUEY.pending_count() == 1
    assert HUEY.dequeue().name.endswith("rti_reply_bundle_task")


def test_a_rejection_sets_the_status_and_keeps_the_section(ef):
    with district_context("vaishali"):
        application = receive(ef)
        made = reply(ef, application, **rejection())
        application.refresh_from_db()
        assert application.status == RtiApplication.Status.REJECTED
        assert application.rejection_section == made.rejection_section == "8(1)(h)"
        assert AuditEvent.objects.get(action="rti.reply").details["section"] == "8(1)(h)"


@pytest.mark.parametrize("key", ["clerk", "sp", "sho"])
def test_only_the_holder_of_the_pio_post_may_reply(ef, key):
    with district_context("vaishali"):
        application = receive(ef, helper_posts=[ef.posts["sho"]])
        with pytest.raises(ValidationError) as refused:
            reply(ef, application, key=key)
        assert refused.value.code == "not_pio"
        application.refresh_from_db()
        assert application.status == RtiApplication.Status.RECEIVED
        assert not RtiReply.objects.exists() and not AuditEvent.objects.filter(action="rti.reply").exists()


@pytest.mark.parametrize(
    ("field", "extra"),
    [
        ("rejection_section", rejection(rejection_section="")),
        ("rejection_section", rejection(rejection_section="8(1)(z)")),
        ("appeal_authority", rejection(appeal_authority="  ")),
        ("appeal_days", rejection(appeal_days=10)),
        ("appeal_days", rejection(appeal_days=1000)),
        ("replied_on", {"replied_on": TODAY + datetime.timedelta(days=1)}),
        ("replied_on", {"replied_on": TODAY - datetime.timedelta(days=30)}),
        ("body", {"body": "   "}),
        ("body", {"body": "a\x00b"}),
        ("kind", {"kind": "maybe"}),
        ("language", {"language": "fr"}),
    ],
)
def test_bad_replies_are_refused_and_leave_nothing(ef, field, extra):
    with district_context("vaishali"):
        application = receive(ef)
        with pytest.raises(ValidationError) as refused:
            reply(ef, application, **extra)
        assert field in refused.value.message_dict
        application.refresh_from_db()
        assert application.status == RtiApplication.Status.RECEIVED and application.replied_on is None
        assert not RtiReply.objects.exists() and not AuditEvent.objects.filter(action="rti.reply").exists()


def test_an_application_already_replied_or_transferred_cannot_be_replied_again(ef):
    with district_context("vaishali"):
        application = receive(ef)
        reply(ef, application)
        with pytest.raises(ValidationError) as refused:
            reply(ef, application, **rejection())
        assert refused.value.code == "closed"
        transferred = receive(ef)
        RtiApplication.objects.filter(pk=transferred.pk).update(
            status=RtiApplication.Status.TRANSFERRED, transferred_on=TODAY
        )
        with pytest.raises(ValidationError):
            reply(ef, transferred)
        assert RtiReply.objects.count() == 1


def test_a_deemed_refused_application_may_still_get_a_late_reply(ef):
    with district_context("vaishali"):
        application = receive(ef, received_on=TODAY - datetime.timedelta(days=45))
        rti_deemed_refusals_mark(TODAY)
        application.refresh_from_db()
        assert application.status == RtiApplication.Status.DEEMED_REFUSED
        reply(ef, application)
        application.refresh_from_db()
        assert application.status == RtiApplication.Status.REPLIED


def test_a_document_the_pio_cannot_see_is_refused_unless_linked_to_the_application(ef):
    with district_context("vaishali"):
        [hidden] = pio_documents(ef, ("sdpo.pdf", pdf_bytes(1), "application/pdf"), key="sdpo")
        application = receive(ef)
        with pytest.raises(ValidationError) as refused:
            reply(ef, application, documents=[hidden])
        assert "documents" in refused.value.message_dict
        assert not RtiReply.objects.exists()
        # The SP (who sees the SDPO's file) links it to an application: then the PIO may disclose it.
        linked = receive(ef, "sp", documents=[hidden])
        made = reply(ef, linked, documents=[hidden])
        assert list(made.documents.all()) == [hidden]


# --- the reply form's page ---------------------------------------------------------------------


def _form(**change) -> dict:
    return {
        "kind": "information",
        "language": "en",
        "replied_on": TODAY.isoformat(),
        "body": "The information is enclosed.",
        "rejection_section": "",
        "appeal_authority": "SP Vaishali",
        "appeal_days": "30",
    } | change


def test_the_pio_replies_through_the_form_and_its_read_is_audited(ef):
    with district_context("vaishali"):
        application = receive(ef)
        [document] = pio_documents(ef, ("a.pdf", pdf_bytes(1), "application/pdf"))
        application.documents.add(document)
    pio = ef.client("pio")
    page = pio.get(f"/rti/{application.pk}/reply/")
    assert page.status_code == 200 and application.number in page.content.decode()
    assert "8(1)(h)" in page.content.decode() and document.title in page.content.decode()
    response = pio.post(f"/rti/{application.pk}/reply/", _form(documents=[document.pk]))
    assert response.status_code == 302 and response["Location"].endswith("#replies")
    with district_context("vaishali"):
        made = RtiReply.objects.get()
        assert made.language == "en" and list(made.documents.all()) == [document]
        assert AuditEvent.objects.filter(action="rti.view", details__page="reply").count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "rejection"}, "must name the section"),
        (
            {"kind": "rejection", "rejection_section": "8(1)(j)", "appeal_authority": ""},
            "appellate authority",
        ),
        ({"replied_on": (TODAY + datetime.timedelta(days=2)).isoformat()}, "cannot be in the future"),
        ({"replied_on": "2025-02-30"}, "valid date"),
        ({"appeal_days": "5"}, "greater than or equal to 30"),
        ({"documents": ["99999999999999999999"]}, "valid choice"),
        ({"body": "x\x00"}, "Null characters"),
        ({"language": "\x00"}, "valid choice"),
    ],
)
def test_bad_input_on_the_reply_form_is_a_message_not_a_500(ef, change, message):
    with district_context("vaishali"):
        application = receive(ef)
    response = ef.client("pio").post(f"/rti/{application.pk}/reply/", _form(**change))
    assert response.status_code == 200
    assert message in response.content.decode()
    with district_context("vaishali"):
        assert not RtiReply.objects.exists()


def test_who_sees_but_is_not_the_pio_is_told_so_with_403(ef):
    with district_context("vaishali"):
        application = receive(ef)
    for key in ("clerk", "sp"):
        for method in ("get", "post"):
            response = getattr(ef.client(key), method)(f"/rti/{application.pk}/reply/", _form())
            assert response.status_code == 403
            assert "Only the public information officer" in response.content.decode()
    with district_context("vaishali"):
        assert not RtiReply.objects.exists()


def test_the_reply_form_is_404_for_outsiders_with_ids_in_both_districts(ef, world):
    shared = next_id_in_both_districts("core_rtiapplication")
    with district_context("vaishali"):
        application = receive(ef)
    other = muzaffarpur_application(ef)
    assert application.pk == other.pk == shared
    outsiders = {key: ef.client(key) for key in ("sdpo", "mahnar", "si")}
    outsiders["anonymous"] = HostClient("vaishali")
    for who, client in outsiders.items():
        for method in ("get", "post"):
            response = getattr(client, method)(f"/rti/{application.pk}/reply/", _form())
            assert response.status_code == 404, (who, method)
    unposted = HostClient("vaishali")
    assert sign_in_refused(unposted.sign_in(world.unposted.login_id))  # no posting here
    assert unposted.get(f"/rti/{application.pk}/reply/").status_code == 404
    # The Muzaffarpur clerk asking their own host for the same id gets their own application.
    page = ef.client("other").get(f"/rti/{shared}/reply/").content.decode()
    assert other.number in page and application.number not in page and APPLICANT not in page
    with district_context("vaishali"):
        assert not RtiReply.objects.exists()
