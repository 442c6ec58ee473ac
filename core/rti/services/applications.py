"""The RTI register's use cases for an application: enter it, change its particulars, record a
read of it. Each change in its life is in its own module of this package: the PIO's decisions and
the fee's payment (``decisions``), the deemed refusal and the first appeal (``appeals``), whose
shared steps are in ``changes``. Each is atomic, locks the
application (``select_for_update``), refuses a change its status does not allow, and appends its
audit event in the same transaction.

Who may call them:

- an application is entered by an officer of the office that received it or a supervisor over
  that office (``rti_receive``);
- whoever may see an application (``core.rti.access``) may keep it: change its particulars, record
  the payment of a fee, a first appeal and its decision;
- the changes that are the public information officer's decision (asking for a further fee,
  notifying a third party, transferring the application) need the PIO's post, or a supervisor over
  the office that received it (the SDPO over the sub-division's offices, the SP or Addl. SP over
  the district) acting as their supervising post: a clerk or a post whose help was sought may
  not decide for the PIO (``rti_decision_post_id``);
- the deemed refusal (s.7(2)) is nobody's decision: ``rti_deemed_refusals_mark`` is called by the
  daily task and records the system as the actor.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.base.access import Viewer, documents_visible, files_visible
from core.base.actors import actor_viewer, as_post, require_open_office, require_open_post
from core.base.audit import Actor, audit_append
from core.base.text import clean_text
from core.cases.access import cases_visible
from core.efile.numbering import number_next
from core.models import Case, Document, EFile, Office, Post, RtiApplication
from core.rti.access import rti_office_post_id, rti_post_id
from core.rti.services.changes import (
    application_clocks,
    application_locked,
    change_audit,
    status_awaiting,
)

# The Right to Information Act, 2005 came fully into force on 12 October 2005.
ACT_IN_FORCE = datetime.date(2005, 10, 12)
NAME_MAX = 200
ADDRESS_MAX = 1000
SUBJECT_MAX = 5000
RTI_NUMBER_KIND = "rti"


def rti_number(*, office: Office, year: int, serial: int) -> str:
    """``RTI/SPVAI/2025/0012``."""
    return f"RTI/{office.number_prefix}/{year}/{serial:04d}"


def _check_post(post: Post, field: str) -> None:
    if post.kind == Post.Kind.DISTRICT_ADMIN:
        raise ValidationError({field: [_("The district admin's post cannot answer RTI applications.")]})
    try:
        require_open_post(post)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error


def _check_received(received_on: datetime.date) -> None:
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": [_("The date of receipt cannot be in the future.")]})
    if received_on < ACT_IN_FORCE:
        raise ValidationError(
            {"received_on": [_("The RTI Act came into force on 12 October 2005; give a later date.")]}
        )


def _link_checks(viewer: Viewer, *, files, cases, documents) -> tuple:
    """(field, chosen records, the records the viewer may see, refusal) of each link field."""
    return (
        ("files", files, files_visible(viewer), _("You may not link a file you cannot see.")),
        ("cases", cases, cases_visible(viewer), _("You may not link a case you cannot see.")),
        ("documents", documents, documents_visible(viewer), _("You may not link a document you cannot see.")),
    )


def _visible_links(actor: Actor, *, files, cases, documents) -> dict[str, list]:
    """The linked records, refused unless the actor may see every one of them (a link never
    reveals a record to someone who could not open it)."""
    links = {}
    for field, items, visible, message in _link_checks(
        actor_viewer(actor), files=files, cases=cases, documents=documents
    ):
        ids = {item.pk for item in items}
        if ids and visible.filter(pk__in=ids).count() != len(ids):
            raise ValidationError({field: [message]})
        links[field] = list(items)
    return links


@transaction.atomic
def rti_receive(
    *,
    actor: Actor,
    office: Office,
    received_on: datetime.date,
    mode: str,
    applicant_name: str,
    applicant_address: str,
    subject: str,
    pio_post: Post,
    fee: str = RtiApplication.Fee.PAID,
    received_at: datetime.time | None = None,
    life_or_liberty: bool = False,
    helper_posts: list[Post] | tuple = (),
    files: list[EFile] | tuple = (),
    cases: list[Case] | tuple = (),
    documents: list[Document] | tuple = (),
) -> RtiApplication:
    """Enter an application in the register, numbered per office and year with no gaps or
    repeats (``RTI/SPVAI/2025/0012``). Refuses a closed office, a date in the future or before the
    Act, an unknown mode or fee, a closed post as PIO or helper, a link to a record the actor may
    not see. Called by an officer of the receiving office or a supervisor over it."""
    require_open_office(office)
    post_id = rti_office_post_id(actor_viewer(actor), office.pk) if actor.person else None
    if post_id is None:
        raise ValidationError(
            {"office": [_("You may not keep the RTI register of this office.")]}, code="not_your_office"
        )
    _check_received(received_on)
    if mode not in RtiApplication.Mode.values:
        raise ValidationError({"mode": [_("Choose how the application came from the list.")]})
    if fee not in RtiApplication.Fee.values:
        raise ValidationError({"fee": [_("Choose the fee from the list.")]})
    _check_post(pio_post, "pio_post")
    for helper in helper_posts:
        _check_post(helper, "helper_posts")
    links = _visible_links(actor, files=files, cases=cases, documents=documents)
    serial = number_next(office=office, kind=RTI_NUMBER_KIND, year=received_on.year)
    application = RtiApplication.objects.create(
        office=office,
        number=rti_number(office=office, year=received_on.year, serial=serial),
        received_on=received_on,
        received_at=received_at,
        mode=mode,
        applicant_name=clean_text(applicant_name, field="applicant_name", max_length=NAME_MAX),
        applicant_address=clean_text(applicant_address, field="applicant_address", max_length=ADDRESS_MAX),
        subject=clean_text(subject, field="subject", max_length=SUBJECT_MAX),
        life_or_liberty=life_or_liberty,
        fee=fee,
        pio_post=pio_post,
        created_by=actor.person,
        created_post_id=post_id,
    )
    application.helper_posts.set(helper_posts)
    for field, items in links.items():
        getattr(application, field).set(items)
    audit_append(
        actor=as_post(actor, post_id),
        action="rti.receive",
        target=application,
        summary=application.number,
        details={
            "office": office.pk,
            "received_on": received_on.isoformat(),
            "mode": mode,
            "pio_post": pio_post.pk,
            "life_or_liberty": life_or_liberty,
            "fee": fee,
        },
    )
    return application


# The particulars ``rti_update`` may change; the links are compared as sets of ids.
UPDATABLE = ("applicant_name", "applicant_address", "subject", "life_or_liberty", "fee", "pio_post")
LINKS = ("helper_posts", "files", "cases", "documents")


def _link_ids(locked: RtiApplication, field: str, items, visible, message: str) -> set[int]:
    """The ids a link field will hold: those chosen, each of which the actor may see, and the
    ones already linked that the actor cannot see (a form never showed them, so never dropped)."""
    current = set(getattr(locked, field).values_list("pk", flat=True))
    wanted = {item.pk for item in items}
    hidden = current - set(visible.filter(pk__in=current).values_list("pk", flat=True))
    added = wanted - current
    if added and visible.filter(pk__in=added).count() != len(added):
        raise ValidationError({field: [message]})
    return wanted | hidden


@transaction.atomic
def rti_update(
    *,
    actor: Actor,
    application: RtiApplication,
    applicant_name: str,
    applicant_address: str,
    subject: str,
    pio_post: Post,
    fee: str,
    life_or_liberty: bool = False,
    helper_posts: list[Post] | tuple = (),
    files: list[EFile] | tuple = (),
    cases: list[Case] | tuple = (),
    documents: list[Document] | tuple = (),
) -> RtiApplication:
    """Change an application's particulars: applicant, address, subject, life or liberty, fee
    (paid, BPL exempt, unpaid), PIO post, the posts whose help was sought and the linked files,
    cases and documents. A new link must be to a record the actor may see; links to records the
    actor cannot see are kept as they were. Refuses a closed post as PIO or helper, BPL while a
    further fee is pending, and a change that changes nothing. A deemed refusal that the changed
    clocks no longer support goes back to awaiting a reply. Called by whoever may see it; the audit
    event records each change (old → new)."""
    locked, post_id = application_locked(actor, application)
    if fee not in RtiApplication.Fee.values:
        raise ValidationError({"fee": [_("Choose the fee from the list.")]})
    if fee == RtiApplication.Fee.BPL and locked.status == RtiApplication.Status.FEE_PENDING:
        raise ValidationError({"fee": [_("A further fee is pending; record its payment first.")]})
    new = {
        "applicant_name": clean_text(applicant_name, field="applicant_name", max_length=NAME_MAX),
        "applicant_address": clean_text(applicant_address, field="applicant_address", max_length=ADDRESS_MAX),
        "subject": clean_text(subject, field="subject", max_length=SUBJECT_MAX),
        "life_or_liberty": bool(life_or_liberty),
        "fee": fee,
    }
    if pio_post.pk != locked.pio_post_id:
        _check_post(pio_post, "pio_post")
    changes = {}
    for name in UPDATABLE:
        old_value = locked.pio_post_id if name == "pio_post" else getattr(locked, name)
        new_value = pio_post.pk if name == "pio_post" else new[name]
        if old_value != new_value:
            changes[name] = [old_value, new_value]
            setattr(locked, name, pio_post if name == "pio_post" else new_value)
    old_helpers = set(locked.helper_posts.values_list("pk", flat=True))
    for helper in helper_posts:
        if helper.pk not in old_helpers:
            _check_post(helper, "helper_posts")
    viewer = actor_viewer(actor)
    links = {"helper_posts": {post.pk for post in helper_posts}}
    for field, items, visible, message in _link_checks(viewer, files=files, cases=cases, documents=documents):
        links[field] = _link_ids(locked, field, items, visible, message)
    for name in LINKS:
        old_ids = set(getattr(locked, name).values_list("pk", flat=True))
        if old_ids != links[name]:
            changes[name] = [sorted(old_ids), sorted(links[name])]
            getattr(locked, name).set(links[name])
    if not changes:
        raise ValidationError(_("Nothing was changed."), code="unchanged")
    if (
        locked.status == RtiApplication.Status.DEEMED_REFUSED
        and not application_clocks(locked).deemed_refused
    ):
        locked.status = status_awaiting(locked)
        changes["status"] = [RtiApplication.Status.DEEMED_REFUSED, locked.status]
    locked.save(update_fields=[name for name in (*UPDATABLE, "status") if name in changes])
    change_audit(actor, post_id, "rti.update", locked, changes=changes)
    return locked


@transaction.atomic
def rti_view_record(*, actor: Actor, application: RtiApplication, page: str = "application") -> None:
    """Record that the actor read the application (its page or its edit form). Called by views
    after ``rti_for`` found it for the viewer."""
    post_id = rti_post_id(actor_viewer(actor), application) if actor.person else None
    audit_append(
        actor=as_post(actor, post_id) if post_id is not None else actor,
        action="rti.view",
        target=application,
        summary=application.number,
        details={"page": page},
    )


__all__ = [
    "ACT_IN_FORCE",
    "ADDRESS_MAX",
    "NAME_MAX",
    "SUBJECT_MAX",
    "rti_number",
    "rti_receive",
    "rti_update",
    "rti_view_record",
]
