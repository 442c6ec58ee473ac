"""Making a failed reply again: once the disclosed document is put right, the PIO's retry makes the
PDF and the zip for real; a reply that is ready or being prepared is refused with a message and
nothing changes; two clicks enqueue once; it is audited; the page offers the button only on a
failed reply and only to the PIO; everyone else gets 404 (403 for those who see the application
but are not its PIO, and the gate's 403 for a person no longer posted)."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from core.base.audit import Actor
from core.base.storage import stored_path
from core.models import AuditEvent, Post, RtiReply
from core.org import services as core_services
from core.rti.services.replies import rti_reply_bundle_retry
from core.rti.tasks import rti_reply_bundle_task
from tenants.context import district_context
from tests.core.rti.test_rti_bundle import made, read
from tests.core.rti.test_rti_receive import receive
from tests.core.rti.test_rti_reply import a_pdf_and_an_image, muzaffarpur_application, reply
from tests.helpers import HostClient, next_id_in_both_districts, person_of, sign_in_refused

TODAY = timezone.localdate()
Status = RtiReply.Status
BUTTON = "Make the reply again"
REFUSED = "Only a reply whose PDF could not be made may be made again"


def failed_reply(ef, *, key="pio", application=None):
    """A reply whose first disclosed document was changed in storage after it was uploaded, made
    by the task (so it failed). Returns (application, reply, put_right) where ``put_right()``
    writes the document's uploaded bytes back."""
    with district_context("vaishali"):
        application = application or receive(ef)
        documents = a_pdf_and_an_image(ef, key=key)
        version = documents[0].versions.get()
        queued = reply(ef, application, key=key, documents=documents)
        path = stored_path(version.stored_name)
        uploaded = path.read_bytes()
        path.write_bytes(b"%PDF-1.4 not what was uploaded")
    failed = made(queued.pk)
    assert failed.status == Status.FAILED and "changed" in failed.error

    def put_right():
        with district_context("vaishali"):
            stored_path(version.stored_name).write_bytes(uploaded)

    return application, failed, put_right


def retry_url(application, reply_) -> str:
    return f"/rti/{application.pk}/replies/{reply_.pk}/retry/"


def state(reply_id: int) -> tuple:
    with district_context("vaishali"):
        row = RtiReply.objects.get(pk=reply_id)
        return (row.status, row.error, row.pdf_stored, row.zip_stored, row.pdf_sha256, row.zip_sha256)


def retry_events() -> list[AuditEvent]:
    with district_context("vaishali"):
        return list(AuditEvent.objects.filter(action="rti.reply_retry").order_by("id"))


# --- the service -------------------------------------------------------------------------------


def test_a_failed_reply_is_made_again_once_its_document_is_put_right(ef, django_capture_on_commit_callbacks):
    application, failed, put_right = failed_reply(ef)
    put_right()
    HUEY.flush()
    with district_context("vaishali"):
        with django_capture_on_commit_callbacks(execute=True):
            retried = rti_reply_bundle_retry(actor=ef.actor("pio"), reply=failed)
        assert (retried.status, retried.error) == (Status.QUEUED, "")
        assert RtiReply.objects.get(pk=failed.pk).status == Status.QUEUED
        [event] = AuditEvent.objects.filter(action="rti.reply_retry")
        assert event.post_id == ef.posts["pio"].pk and event.target_id == str(application.pk)
        assert event.details == {"reply": failed.pk, "previous_error": failed.error}
    # What was enqueued is the making of this reply in this district; run it as the worker would.
    assert HUEY.pending_count() == 1
    task = HUEY.dequeue()
    assert task.name.endswith("rti_reply_bundle_task")
    assert tuple(task.args) == ("vaishali",) and task.kwargs == {"reply_id": failed.pk}
    rti_reply_bundle_task.call_local(*task.args, **task.kwargs)
    with district_context("vaishali"):
        ready = RtiReply.objects.get(pk=failed.pk)
        assert AuditEvent.objects.filter(action="rti.reply_ready", details__reply=failed.pk).count() == 1
    assert ready.status == Status.READY and ready.error == ""
    assert ready.pdf_stored and ready.zip_stored and ready.pdf_stored != ready.zip_stored
    assert hashlib.sha256(read(ready.pdf_stored)).hexdigest() == ready.pdf_sha256
    assert hashlib.sha256(read(ready.zip_stored)).hexdigest() == ready.zip_sha256


def test_made_again_before_the_cause_is_put_right_it_fails_again(ef):
    _application, failed, _put_right = failed_reply(ef)
    with district_context("vaishali"):
        rti_reply_bundle_retry(actor=ef.actor("pio"), reply=failed)
    again = made(failed.pk)
    assert again.status == Status.FAILED and "changed" in again.error and again.pdf_stored == ""


@pytest.mark.parametrize("status", [Status.QUEUED, Status.READY])
def test_a_reply_ready_or_being_prepared_is_not_made_again(ef, status, django_capture_on_commit_callbacks):
    with district_context("vaishali"):
        queued = reply(ef, receive(ef), documents=a_pdf_and_an_image(ef))
    if status == Status.READY:
        assert made(queued.pk).status == Status.READY
    before = state(queued.pk)
    HUEY.flush()
    with (
        district_context("vaishali"),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refused,
    ):
        rti_reply_bundle_retry(actor=ef.actor("pio"), reply=queued)
    assert refused.value.code == "not_failed" and REFUSED in refused.value.messages[0]
    assert state(queued.pk) == before and before[0] == status
    assert retry_events() == [] and HUEY.pending_count() == 0


@pytest.mark.parametrize("key", ["clerk", "sp"])
def test_only_the_pio_may_make_a_reply_again(ef, key):
    _application, failed, _put_right = failed_reply(ef)
    before = state(failed.pk)
    with district_context("vaishali"), pytest.raises(ValidationError) as refused:
        rti_reply_bundle_retry(actor=ef.actor(key), reply=failed)
    assert refused.value.code == "not_pio"
    assert state(failed.pk) == before and retry_events() == []


# --- the page and the button -------------------------------------------------------------------


def test_the_pio_makes_the_reply_again_from_the_application_page(ef, django_capture_on_commit_callbacks):
    application, failed, put_right = failed_reply(ef)
    put_right()
    pio = ef.client("pio")
    page = pio.get(f"/rti/{application.pk}/").content.decode()
    assert BUTTON in page and f'action="{retry_url(application, failed)}"' in page
    HUEY.flush()
    with django_capture_on_commit_callbacks(execute=True):
        response = pio.post(retry_url(application, failed))
    assert response.status_code == 302 and response["Location"] == f"/rti/{application.pk}/#replies"
    assert "PDF and zip are being made again" in pio.get(response["Location"]).content.decode()
    assert state(failed.pk)[:2] == (Status.QUEUED, "")
    assert HUEY.pending_count() == 1
    assert made(failed.pk).status == Status.READY
    assert BUTTON not in pio.get(f"/rti/{application.pk}/").content.decode()


def test_two_clicks_enqueue_the_making_once(ef, django_capture_on_commit_callbacks):
    application, failed, _put_right = failed_reply(ef)
    pio = ef.client("pio")
    HUEY.flush()
    with django_capture_on_commit_callbacks(execute=True):
        first = pio.post(retry_url(application, failed))
        second = pio.post(retry_url(application, failed), follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert REFUSED in second.content.decode()
    assert HUEY.pending_count() == 1 and len(retry_events()) == 1


def test_a_ready_reply_asked_again_through_the_page_is_a_message_not_a_500(ef):
    with district_context("vaishali"):
        application = receive(ef)
        queued = reply(ef, application)
    made(queued.pk)
    before = state(queued.pk)
    response = ef.client("pio").post(retry_url(application, queued), follow=True)
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert state(queued.pk) == before and retry_events() == []


def test_the_button_shows_only_on_a_failed_reply_and_only_to_the_pio(ef):
    application, failed, _put_right = failed_reply(ef)
    with district_context("vaishali"):
        other = receive(ef)
        queued = reply(ef, other)
    assert BUTTON in ef.client("pio").get(f"/rti/{application.pk}/").content.decode()
    for key in ("clerk", "sp"):  # they see the application and its failed reply, not the button
        page = ef.client(key).get(f"/rti/{application.pk}/").content.decode()
        assert application.number in page and BUTTON not in page and "/retry/" not in page
    page = ef.client("pio").get(f"/rti/{other.pk}/").content.decode()
    assert queued.get_status_display() in page and BUTTON not in page


def test_get_is_405_and_changes_nothing(ef):
    application, failed, _put_right = failed_reply(ef)
    before = state(failed.pk)
    assert ef.client("pio").get(retry_url(application, failed)).status_code == 405
    assert state(failed.pk) == before and retry_events() == []


# --- who may not -------------------------------------------------------------------------------


def test_who_sees_but_is_not_the_pio_gets_403(ef):
    application, failed, _put_right = failed_reply(ef)
    before = state(failed.pk)
    for key in ("clerk", "sp"):
        assert ef.client(key).post(retry_url(application, failed)).status_code == 403, key
    assert state(failed.pk) == before and retry_events() == []


def test_retry_is_404_for_outsiders_with_ids_in_both_districts(ef):
    shared = next_id_in_both_districts("core_rtiapplication")
    with district_context("vaishali"):
        application = receive(ef)
    application, failed, _put_right = failed_reply(ef, application=application)
    other = muzaffarpur_application(ef)
    assert application.pk == other.pk == shared
    before = state(failed.pk)
    outsiders = {key: ef.client(key) for key in ("sdpo", "mahnar", "si", "sdpoclerk")}
    outsiders["district admin"] = HostClient("vaishali")
    outsiders["district admin"].sign_in("vaishali.admin")
    outsiders["anonymous"] = HostClient("vaishali")
    for who, client in outsiders.items():
        for method in ("post", "get"):
            response = getattr(client, method)(retry_url(application, failed))
            assert response.status_code == 404, (who, method, response.status_code)
    # The Muzaffarpur PIO, on their own host, reaches their own application of the same id, which
    # has no such reply.
    assert ef.client("other").post(retry_url(application, failed)).status_code == 404
    # A reply id of another application is 404 even to the PIO, and so is a reply id that is none.
    with district_context("vaishali"):
        second = receive(ef)
    pio = ef.client("pio")
    assert pio.post(f"/rti/{second.pk}/replies/{failed.pk}/retry/").status_code == 404
    assert pio.post(f"/rti/{application.pk}/replies/99999999999999999999/retry/").status_code == 404
    assert state(failed.pk) == before and retry_events() == []


def test_a_pio_whose_posting_has_ended_is_stopped_by_the_gate(ef, world):
    """The PIO signed in while posted; their posting ends; their click is refused at the gate."""
    with district_context("vaishali"):
        post = core_services.post_create(
            office=ef.offices["sp-office"], code="ef-pio-2", title="PIO 2", kind=Post.Kind.PIO
        )
        person = person_of("ef.pio2")
        posting = core_services.posting_start(
            person=person, post=post, starts_on=TODAY - datetime.timedelta(days=5)
        )
        ef.people["pio2"], ef.posts["pio2"] = person, post
        application = receive(ef, pio_post=post)
    application, failed, _put_right = failed_reply(ef, key="pio2", application=application)
    client = HostClient("vaishali")
    client.sign_in(person.login_id)
    assert BUTTON in client.get(f"/rti/{application.pk}/").content.decode()
    before = state(failed.pk)
    with district_context("vaishali"):
        core_services.posting_end(posting=posting, ends_on=TODAY - datetime.timedelta(days=1))
    assert client.post(retry_url(application, failed)).status_code == 403  # signed out by the gate
    assert client.post(retry_url(application, failed)).status_code == 404  # now anonymous
    # A person never posted here is refused at sign-in and reaches nothing.
    unposted = HostClient("vaishali")
    assert sign_in_refused(unposted.sign_in(world.unposted.login_id))
    assert unposted.post(retry_url(application, failed)).status_code == 404
    assert state(failed.pk) == before and retry_events() == []
    with district_context("vaishali"), pytest.raises(ValidationError):
        rti_reply_bundle_retry(actor=Actor(person=person), reply=failed)
