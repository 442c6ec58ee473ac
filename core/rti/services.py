"""The RTI register's use cases: enter an application, change its particulars, and record each
change in its life (further fee asked and paid, transfer, third party notified, deemed refusal,
first appeal received and decided). Each is atomic, locks the application (``select_for_update``),
refuses a change its status does not allow, and appends its audit event in the same transaction.

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
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.audit import Actor, audit_append
from core.cases.access import cases_visible
from core.efile.access import Viewer, documents_visible, files_visible
from core.efile.numbering import number_next
from core.efile.services.common import (
    actor_viewer,
    as_post,
    clean_text,
    require_open_office,
    require_open_post,
)
from core.models import Case, Document, EFile, Office, Post, RtiApplication
from core.rti.access import rti_office_post_id, rti_post_id, rti_visible_q
from core.rti.clocks import Clocks, RtiFactsError, rti_clocks

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
FEE_MAX = Decimal("9999999.99")
TRANSFERRED_TO_MAX = 300
# Statuses in which a reply is still awaited from this authority (the deemed refusal can come).
AWAITING = (
    RtiApplication.Status.RECEIVED,
    RtiApplication.Status.FEE_PENDING,
    RtiApplication.Status.THIRD_PARTY,
)
# Statuses from which a first appeal lies (s.19(1)).
ANSWERED = (
    RtiApplication.Status.REPLIED,
    RtiApplication.Status.REJECTED,
    RtiApplication.Status.DEEMED_REFUSED,
)
# The earliest a reply can fall due: 48 hours after receipt (the life-or-liberty rule).
EARLIEST_DUE = datetime.timedelta(days=2)


def rti_decision_post_id(viewer: Viewer, application: RtiApplication) -> int | None:
    """The post that lets the viewer take the PIO's decisions on the application (ask a further
    fee, notify a third party, transfer it): the PIO's post if they hold it, else their narrowest
    post supervising the office that received it, else their SP or Addl. SP post; None if none."""
    if viewer.holds(application.pio_post_id):
        return application.pio_post_id
    for post_id, scope in viewer.supervising:
        if application.office_id in scope:
            return post_id
    return viewer.district_post_id


def _locked(
    actor: Actor, application: RtiApplication, *, decision: bool = False
) -> tuple[RtiApplication, int]:
    """The application locked for a change, and the post the actor acts as; refused unless they
    may see it and, for the PIO's decisions, hold the PIO's post or supervise the office."""
    viewer = actor_viewer(actor) if actor.person else None
    locked = (
        RtiApplication.objects.select_for_update(of=("self",))
        .filter(rti_visible_q(viewer), pk=application.pk)
        .first()
        if viewer is not None
        else None
    )
    if locked is None:
        raise ValidationError(_("You may not change this RTI application."), code="not_your_application")
    post_id = rti_decision_post_id(viewer, locked) if decision else rti_post_id(viewer, locked)
    if post_id is None:
        raise ValidationError(
            _("Only the public information officer or an officer supervising the office may decide this."),
            code="not_the_pio",
        )
    return locked, post_id


def _clocks(application: RtiApplication) -> Clocks:
    try:
        return rti_clocks(application.facts, today=timezone.localdate(), now=timezone.now())
    except RtiFactsError as error:
        raise ValidationError(str(error), code="dates_contradict") from error


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _check_day(day: datetime.date, *, field: str, not_before: datetime.date, message: str) -> None:
    """Refuse a day in the future or before ``not_before`` (``message`` names that day)."""
    if day > timezone.localdate():
        raise ValidationError({field: [_("The date cannot be in the future.")]})
    if day < not_before:
        raise ValidationError({field: [message % {"date": _day(not_before)}]})


def _refuse_status(message: str, application: RtiApplication) -> ValidationError:
    return ValidationError(message % {"status": application.get_status_display()}, code="wrong_status")


def _status_awaiting(application: RtiApplication) -> str:
    """The status of an application that awaits a reply, from what is recorded on it."""
    if application.further_fee_asked_on and not application.further_fee_paid_on:
        return RtiApplication.Status.FEE_PENDING
    if application.third_party_notified_on:
        return RtiApplication.Status.THIRD_PARTY
    return RtiApplication.Status.RECEIVED


def _append(actor: Actor, post_id: int, action: str, application: RtiApplication, **details) -> None:
    audit_append(
        actor=as_post(actor, post_id),
        action=action,
        target=application,
        summary=f"{application.number}: {application.status}",
        details={"status": application.status, **details},
    )


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
    locked, post_id = _locked(actor, application)
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
    if locked.status == RtiApplication.Status.DEEMED_REFUSED and not _clocks(locked).deemed_refused:
        locked.status = _status_awaiting(locked)
        changes["status"] = [RtiApplication.Status.DEEMED_REFUSED, locked.status]
    locked.save(update_fields=[name for name in (*UPDATABLE, "status") if name in changes])
    _append(actor, post_id, "rti.update", locked, changes=changes)
    return locked


@transaction.atomic
def rti_fee_ask(
    *, actor: Actor, application: RtiApplication, amount: Decimal, asked_on: datetime.date
) -> RtiApplication:
    """Record that the PIO asked for a further fee (s.7(3)) of ``amount`` on ``asked_on``: the
    status becomes "further fee pending" and the reply clock pauses until payment. Refuses a
    second asking, an amount not above nothing, a BPL applicant, a date in the future or before
    receipt, and an application that no longer awaits a reply. Called by the PIO's post or a
    supervisor over the office."""
    locked, post_id = _locked(actor, application, decision=True)
    if locked.further_fee_asked_on is not None:
        raise ValidationError(
            _("A further fee was already asked for on %(date)s.")
            % {"date": _day(locked.further_fee_asked_on)}
        )
    if locked.status not in (RtiApplication.Status.RECEIVED, RtiApplication.Status.THIRD_PARTY):
        raise _refuse_status(_("A further fee cannot be asked for: the application is “%(status)s”."), locked)
    if locked.fee == RtiApplication.Fee.BPL:
        raise ValidationError(_("The applicant is below the poverty line and pays no fee."), code="bpl")
    if amount is None or amount <= 0:
        raise ValidationError({"amount": [_("Give an amount above ₹0.")]})
    if amount > FEE_MAX:
        raise ValidationError({"amount": [_("Give an amount of at most ₹%(max)s.") % {"max": FEE_MAX}]})
    _check_day(
        asked_on,
        field="asked_on",
        not_before=locked.received_on,
        message=_("The fee cannot be asked for before the application was received (%(date)s)."),
    )
    locked.further_fee_amount = amount
    locked.further_fee_asked_on = asked_on
    locked.status = RtiApplication.Status.FEE_PENDING
    locked.save(update_fields=["further_fee_amount", "further_fee_asked_on", "status"])
    _append(actor, post_id, "rti.fee_ask", locked, amount=str(amount), asked_on=asked_on.isoformat())
    return locked


@transaction.atomic
def rti_fee_paid(*, actor: Actor, application: RtiApplication, paid_on: datetime.date) -> RtiApplication:
    """Record the payment of the further fee on ``paid_on``: the reply clock runs again, with the
    days from the asking to the payment left out; the status goes back to received, or to third
    party notified when a third party was. Refuses when no fee is pending, a date in the future or
    before the asking. Called by whoever may see the application."""
    locked, post_id = _locked(actor, application)
    if locked.further_fee_asked_on is None or locked.further_fee_paid_on is not None:
        raise ValidationError(_("No further fee is pending on this application."), code="no_fee_pending")
    _check_day(
        paid_on,
        field="paid_on",
        not_before=locked.further_fee_asked_on,
        message=_("The fee cannot be paid before it was asked for (%(date)s)."),
    )
    locked.further_fee_paid_on = paid_on
    if locked.status == RtiApplication.Status.FEE_PENDING:
        locked.status = _status_awaiting(locked)
    locked.save(update_fields=["further_fee_paid_on", "status"])
    clocks = _clocks(locked)
    _append(
        actor,
        post_id,
        "rti.fee_paid",
        locked,
        paid_on=paid_on.isoformat(),
        days_excluded=clocks.fee_pause.days_excluded if clocks.fee_pause else 0,
        reply_due_on=clocks.reply.due_on.isoformat() if clocks.reply.due_on else None,
    )
    return locked


@transaction.atomic
def rti_transfer(
    *, actor: Actor, application: RtiApplication, transferred_to: str, transferred_on: datetime.date
) -> RtiApplication:
    """Record the transfer of the application to another public authority (s.6(3)) on
    ``transferred_on``: the status becomes transferred and no reply is awaited here. A transfer
    later than 5 days from receipt is recorded, not refused; the audit event says it was late.
    Refuses a missing authority, a date in the future or before receipt, and an application
    already transferred, replied or rejected. Called by the PIO's post or a supervisor over the
    office."""
    locked, post_id = _locked(actor, application, decision=True)
    if locked.status in RtiApplication.CLOSED_STATUSES:
        raise _refuse_status(_("The application cannot be transferred: it is “%(status)s”."), locked)
    transferred_to = clean_text(transferred_to, field="transferred_to", max_length=TRANSFERRED_TO_MAX)
    _check_day(
        transferred_on,
        field="transferred_on",
        not_before=locked.received_on,
        message=_("The application cannot be transferred before it was received (%(date)s)."),
    )
    locked.transferred_to = transferred_to
    locked.transferred_on = transferred_on
    locked.status = RtiApplication.Status.TRANSFERRED
    locked.save(update_fields=["transferred_to", "transferred_on", "status"])
    transfer = _clocks(locked).transfer
    _append(
        actor,
        post_id,
        "rti.transfer",
        locked,
        transferred_to=transferred_to,
        transferred_on=transferred_on.isoformat(),
        due_on=transfer.due_on.isoformat(),
        late=transfer.late,
    )
    return locked


@transaction.atomic
def rti_third_party_notify(
    *, actor: Actor, application: RtiApplication, notified_on: datetime.date
) -> RtiApplication:
    """Record that a third party was notified (s.11(1)) on ``notified_on``: the reply is now due
    40 days from receipt (s.11(3)) and the status becomes third party notified (it stays further
    fee pending while a fee is unpaid). Refuses a second notice, a date in the future or before
    receipt, and an application that no longer awaits a reply. Called by the PIO's post or a
    supervisor over the office."""
    locked, post_id = _locked(actor, application, decision=True)
    if locked.third_party_notified_on is not None:
        raise ValidationError(
            _("A third party was already notified on %(date)s.")
            % {"date": _day(locked.third_party_notified_on)}
        )
    if locked.status not in (RtiApplication.Status.RECEIVED, RtiApplication.Status.FEE_PENDING):
        raise _refuse_status(_("A third party cannot be notified: the application is “%(status)s”."), locked)
    _check_day(
        notified_on,
        field="notified_on",
        not_before=locked.received_on,
        message=_("A third party cannot be notified before the application was received (%(date)s)."),
    )
    locked.third_party_notified_on = notified_on
    locked.status = _status_awaiting(locked)
    locked.save(update_fields=["third_party_notified_on", "status"])
    reply = _clocks(locked).reply
    _append(
        actor,
        post_id,
        "rti.third_party_notify",
        locked,
        notified_on=notified_on.isoformat(),
        reply_due_on=reply.due_on.isoformat() if reply.due_on else None,
    )
    return locked


def rti_deemed_refusals_mark(today: datetime.date) -> list[RtiApplication]:
    """Mark as deemed refused (s.7(2)) every application still awaiting a reply whose reply
    period, by ``core.rti.clocks``, ran out before ``today``: the day after the due date (for the
    48-hour rule, the day after the due moment's day). Idempotent: a marked application is not
    awaiting any more, so a second run marks nothing. Each mark is its own transaction, audited
    as the system (actor None). Returns the applications marked. Called by the daily RTI task."""
    candidates = RtiApplication.objects.filter(
        status__in=AWAITING, replied_on__isnull=True, received_on__lte=today - EARLIEST_DUE
    ).order_by("id")
    due = [
        application.pk
        for application in candidates
        if rti_clocks(application.facts, today=today).deemed_refused
    ]
    marked = []
    for pk in due:
        with transaction.atomic():
            locked = (
                RtiApplication.objects.select_for_update()
                .filter(pk=pk, status__in=AWAITING, replied_on__isnull=True)
                .first()
            )
            clocks = rti_clocks(locked.facts, today=today) if locked else None
            if clocks is None or not clocks.deemed_refused:
                continue
            locked.status = RtiApplication.Status.DEEMED_REFUSED
            locked.save(update_fields=["status"])
            audit_append(
                actor=None,
                action="rti.deemed_refused",
                target=locked,
                summary=f"{locked.number}: {locked.status}",
                details={
                    "reply_due_on": clocks.reply.due_on.isoformat(),
                    "deemed_refused_on": clocks.deemed_refused_on.isoformat(),
                    "today": today.isoformat(),
                },
            )
            marked.append(locked)
    return marked


@transaction.atomic
def rti_appeal_receive(
    *, actor: Actor, application: RtiApplication, received_on: datetime.date
) -> RtiApplication:
    """Record that a first appeal (s.19(1)) was received on ``received_on``: its decision is then
    due within 30 days. Only after a reply, a rejection or a deemed refusal (an application whose
    reply period ran out is marked deemed refused now, if the daily task has not yet). An appeal
    later than its 30 days is recorded, not refused (the appellate authority may condone the
    delay); the audit event says it was late. Refuses a second appeal, a date in the future or
    before the reply (or the deemed refusal). Called by whoever may see the application."""
    locked, post_id = _locked(actor, application)
    if locked.appeal_received_on is not None:
        raise ValidationError(
            _("A first appeal was already received on %(date)s.") % {"date": _day(locked.appeal_received_on)}
        )
    clocks = _clocks(locked)
    refused_now = locked.status in AWAITING and clocks.deemed_refused
    if locked.status not in ANSWERED and not refused_now:
        raise ValidationError(
            _("A first appeal can be received only after a reply, a rejection or a deemed refusal."),
            code="nothing_to_appeal",
        )
    after = locked.replied_on or clocks.deemed_refused_on or locked.received_on
    _check_day(
        received_on,
        field="received_on",
        not_before=after,
        message=_("A first appeal cannot be received before the reply or the deemed refusal (%(date)s)."),
    )
    if refused_now:
        locked.status = RtiApplication.Status.DEEMED_REFUSED
    locked.appeal_received_on = received_on
    locked.save(update_fields=["appeal_received_on", "status"])
    appeal = _clocks(locked).first_appeal
    _append(
        actor,
        post_id,
        "rti.appeal_receive",
        locked,
        received_on=received_on.isoformat(),
        due_on=appeal.due_on.isoformat(),
        late=appeal.late,
    )
    return locked


@transaction.atomic
def rti_appeal_decide(
    *,
    actor: Actor,
    application: RtiApplication,
    decided_on: datetime.date,
    reasons_recorded: bool = False,
) -> RtiApplication:
    """Record the decision of the first appeal on ``decided_on`` (s.19(6)): due within 30 days of
    its receipt, or 45 when the appellate authority recorded its reasons for the longer period
    (``reasons_recorded``). A late decision is recorded; the audit event says it was late.
    Refuses when no appeal awaits a decision, a date in the future or before the appeal was
    received. Called by whoever may see the application."""
    locked, post_id = _locked(actor, application)
    if locked.appeal_received_on is None or locked.appeal_decided_on is not None:
        raise ValidationError(_("No first appeal awaits a decision."), code="no_appeal_pending")
    _check_day(
        decided_on,
        field="decided_on",
        not_before=locked.appeal_received_on,
        message=_("A first appeal cannot be decided before it was received (%(date)s)."),
    )
    locked.appeal_decided_on = decided_on
    locked.appeal_reasons_recorded = bool(reasons_recorded)
    locked.save(update_fields=["appeal_decided_on", "appeal_reasons_recorded"])
    decision = _clocks(locked).appeal_decision
    _append(
        actor,
        post_id,
        "rti.appeal_decide",
        locked,
        decided_on=decided_on.isoformat(),
        reasons_recorded=locked.appeal_reasons_recorded,
        due_on=decision.due_on.isoformat(),
        late=decision.late,
    )
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
    "rti_appeal_decide",
    "rti_appeal_receive",
    "rti_decision_post_id",
    "rti_deemed_refusals_mark",
    "rti_fee_ask",
    "rti_fee_paid",
    "rti_number",
    "rti_receive",
    "rti_third_party_notify",
    "rti_transfer",
    "rti_update",
    "rti_view_record",
]
