"""Replying to an RTI application, and recording who fetched a reply.

``rti_reply`` is the one way a reply is given: the letter (Hindi or English), what it discloses,
and for a rejection the section relied on, the first appellate authority and the period of appeal.
The PDF and the zip are made afterwards by ``core.rti.tasks.rti_reply_bundle_task``
(``core.rti.services.bundle``); ``rti_reply_bundle_retry`` makes a failed one again.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.base.access import documents_visible
from core.base.actors import actor_viewer, as_post
from core.base.audit import Actor, audit_append
from core.base.names import name_in_language
from core.base.text import clean_text
from core.models import Document, RtiApplication, RtiReply
from core.rti.access import rti_pio_post_id, rti_post_id
from core.rti.services.reply_terms import (
    REJECTION_SECTION_CODES,
    REJECTION_SECTIONS,
    latest_version,
    rejection_section_label,
)
from core.rti.tasks import rti_reply_bundle_task

BODY_MAX = 20000
AUTHORITY_MAX = 300
# The Act gives the applicant 30 days to appeal (s.19(1)); a letter may not promise fewer, and the
# appellate authority may admit a later appeal, so a longer period given in the letter is allowed.
APPEAL_DAYS = 30
APPEAL_DAYS_MAX = 90
DOCUMENTS_MAX = 50


def _check_dates(application: RtiApplication, replied_on: datetime.date) -> None:
    if replied_on > timezone.localdate():
        raise ValidationError({"replied_on": [_("The date of the reply cannot be in the future.")]})
    if replied_on < application.received_on:
        raise ValidationError(
            {"replied_on": [_("The reply cannot be dated before the application was received.")]}
        )


def _check_rejection(*, kind: str, section: str, authority: str, appeal_days) -> tuple[str, str, int]:
    """(section, authority, days) as stored; a rejection must name all three (s.7(8))."""
    authority = clean_text(authority, field="appeal_authority", required=False, max_length=AUTHORITY_MAX)
    if not isinstance(appeal_days, int) or isinstance(appeal_days, bool):
        raise ValidationError({"appeal_days": [_("Give the period of appeal in days.")]})
    if not APPEAL_DAYS <= appeal_days <= APPEAL_DAYS_MAX:
        raise ValidationError(
            {
                "appeal_days": [
                    _("The Act gives %(min)d days to appeal; give between %(min)d and %(max)d days.")
                    % {"min": APPEAL_DAYS, "max": APPEAL_DAYS_MAX}
                ]
            }
        )
    if kind != RtiReply.Kind.REJECTION:
        return "", authority, appeal_days
    errors = {}
    if section not in REJECTION_SECTION_CODES:
        errors["rejection_section"] = [_("A rejection must name the section of the Act relied on.")]
    if not authority:
        errors["appeal_authority"] = [_("A rejection must name the first appellate authority.")]
    if errors:
        raise ValidationError(errors)
    return section, authority, appeal_days


def _disclosable(actor: Actor, application: RtiApplication, documents) -> list[Document]:
    """The documents, refused unless each is one the PIO may see or one linked to the application,
    and has a stored version to disclose."""
    documents = list(dict.fromkeys(documents))
    if len(documents) > DOCUMENTS_MAX:
        raise ValidationError(
            {"documents": [_("Disclose at most %(n)d documents in one reply.") % {"n": DOCUMENTS_MAX}]}
        )
    ids = {document.pk for document in documents}
    if not ids:
        return []
    allowed = Document.objects.filter(
        Q(pk__in=documents_visible(actor_viewer(actor)).values("pk"))
        | Q(pk__in=application.documents.values("pk"))
    ).filter(pk__in=ids, versions__isnull=False)
    if allowed.distinct().count() != len(ids):
        raise ValidationError({"documents": [_("You may not disclose a document you cannot see.")]})
    return sorted(documents, key=lambda document: document.pk)


def _disclosed_details(documents: list[Document]) -> list[dict]:
    details = []
    for document in documents:
        version = latest_version(document)
        details.append(
            {"id": document.pk, "title": document.title, "version": version.number, "sha256": version.sha256}
        )
    return details


def _enqueue_bundle(reply: RtiReply) -> None:
    schema = connection.schema_name

    def enqueue():
        rti_reply_bundle_task(schema, reply_id=reply.pk)

    transaction.on_commit(enqueue)


def _pio_post_or_refuse(actor: Actor, application: RtiApplication, refusal: str) -> int:
    """The application's PIO post the actor holds, else ``ValidationError`` with ``refusal`` (a
    message naming the post as ``%(post)s``)."""
    post_id = rti_pio_post_id(actor_viewer(actor), application) if actor.person else None
    if post_id is None:
        raise ValidationError(
            refusal % {"post": name_in_language(application.pio_post, "title")}, code="not_pio"
        )
    return post_id


@transaction.atomic
def rti_reply(
    *,
    actor: Actor,
    application: RtiApplication,
    kind: str,
    language: str,
    replied_on: datetime.date,
    body: str,
    documents: list[Document] | tuple = (),
    rejection_section: str = "",
    appeal_authority: str = "",
    appeal_days: int = APPEAL_DAYS,
) -> RtiReply:
    """Reply to ``application``: the letter, the documents it discloses and, for a rejection, the
    section relied on, the first appellate authority and the days to appeal (all three required).

    Only a holder of the application's PIO post may reply, once: an application already replied,
    rejected or transferred is refused (a deemed-refused one may still be answered late). The
    reply date may be neither in the future nor before receipt; documents must be ones the PIO may
    see or ones linked to the application. Sets the application's status (replied or rejected),
    reply date and section; records the reply (being prepared) and a ``rti.reply`` audit event
    listing each disclosed document (id, title, version, SHA-256); after commit, enqueues the
    making of the PDF and the zip. Refusals are ``ValidationError`` and leave nothing."""
    application = (
        RtiApplication.objects.select_for_update(of=("self",))
        .select_related("pio_post")
        .get(pk=application.pk)
    )
    post_id = _pio_post_or_refuse(
        actor, application, _("Only the public information officer (%(post)s) may reply to this application.")
    )
    if application.status in RtiApplication.CLOSED_STATUSES:
        raise ValidationError(
            _("This application is already closed (%(status)s); it cannot be replied to again.")
            % {"status": application.get_status_display()},
            code="closed",
        )
    if kind not in RtiReply.Kind.values:
        raise ValidationError({"kind": [_("Choose the kind of reply from the list.")]})
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError({"language": [_("Choose the language of the letter from the list.")]})
    if not isinstance(replied_on, datetime.date) or isinstance(replied_on, datetime.datetime):
        raise ValidationError({"replied_on": [_("Give the date of the reply.")]})
    _check_dates(application, replied_on)
    body = clean_text(body, field="body", max_length=BODY_MAX)
    section, authority, appeal_days = _check_rejection(
        kind=kind, section=rejection_section, authority=appeal_authority, appeal_days=appeal_days
    )
    disclosed = _disclosable(actor, application, documents)

    application.status = (
        RtiApplication.Status.REJECTED if kind == RtiReply.Kind.REJECTION else RtiApplication.Status.REPLIED
    )
    application.replied_on = replied_on
    application.rejection_section = section
    application.save(update_fields=["status", "replied_on", "rejection_section"])
    reply = RtiReply.objects.create(
        application=application,
        kind=kind,
        language=language,
        replied_on=replied_on,
        body=body,
        rejection_section=section,
        appeal_authority=authority,
        appeal_days=appeal_days,
        by=actor.person,
        post_id=post_id,
    )
    reply.documents.set(disclosed)
    audit_append(
        actor=as_post(actor, post_id),
        action="rti.reply",
        target=application,
        summary=f"{application.number}: {kind}{f' s.{section}' if section else ''}",
        details={
            "reply": reply.pk,
            "kind": kind,
            "language": language,
            "replied_on": replied_on.isoformat(),
            "section": section,
            "appeal_authority": authority,
            "appeal_days": appeal_days,
            "documents": _disclosed_details(disclosed),
        },
    )
    _enqueue_bundle(reply)
    return reply


@transaction.atomic
def rti_reply_bundle_retry(*, actor: Actor, reply: RtiReply) -> RtiReply:
    """Make a failed reply's PDF and zip again, once its cause is put right (a disclosed document
    uploaded again, the storage restored). The letter and what it discloses stay as replied.

    Only a holder of the application's PIO post may, as for ``rti_reply``; only a failed reply
    may be made again. The reply row is locked, so two clicks enqueue the making once: the second
    finds the reply being prepared and is refused. Sets the reply back to being prepared, clears
    its error, records a ``rti.reply_retry`` audit event with the previous error and, after
    commit, enqueues the making as a new reply does. Refusals are ``ValidationError`` and leave
    nothing."""
    reply = (
        RtiReply.objects.select_for_update(of=("self",))
        .select_related("application__pio_post")
        .get(pk=reply.pk)
    )
    application = reply.application
    post_id = _pio_post_or_refuse(
        actor, application, _("Only the public information officer (%(post)s) may make this reply again.")
    )
    if reply.status != RtiReply.Status.FAILED:
        raise ValidationError(
            _("Only a reply whose PDF could not be made may be made again; this one is: %(status)s.")
            % {"status": reply.get_status_display()},
            code="not_failed",
        )
    previous = reply.error
    reply.status, reply.error = RtiReply.Status.QUEUED, ""
    reply.save(update_fields=["status", "error"])
    audit_append(
        actor=as_post(actor, post_id),
        action="rti.reply_retry",
        target=application,
        summary=f"{application.number}: reply {reply.pk}",
        details={"reply": reply.pk, "previous_error": previous},
    )
    _enqueue_bundle(reply)
    return reply


REPLY_FILES = {"pdf": ("pdf_stored", "pdf_sha256"), "zip": ("zip_stored", "zip_sha256")}


@transaction.atomic
def rti_reply_download_record(*, actor: Actor, reply: RtiReply, what: str, viewer=None) -> None:
    """Someone fetched a reply's PDF or zip (``what``): a ``rti.reply_download`` event, as the post
    that gives them sight of the application. Callers have checked that they may see it."""
    if what not in REPLY_FILES:
        raise ValueError(f"unknown reply file {what!r}")
    application = reply.application
    post_id = rti_post_id(viewer or actor_viewer(actor), application)
    audit_append(
        actor=as_post(actor, post_id) if post_id else actor,
        action="rti.reply_download",
        target=application,
        summary=f"{application.number}: {what}",
        details={"reply": reply.pk, "file": what, "sha256": getattr(reply, REPLY_FILES[what][1])},
    )


__all__ = [
    "REJECTION_SECTIONS",
    "latest_version",
    "rejection_section_label",
    "rti_reply",
    "rti_reply_bundle_retry",
    "rti_reply_download_record",
]
