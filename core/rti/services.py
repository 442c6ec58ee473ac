"""The RTI register's use cases. Each is atomic and appends its audit event in the same
transaction.

Who may call them: whoever may see the application (``core.rti.access``); an application is
entered by an officer of the office that received it or a supervisor over that office.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import Actor, audit_append
from core.cases.access import cases_visible
from core.efile.access import documents_visible, files_visible, office_sight_post_id
from core.efile.numbering import number_next
from core.efile.services.common import (
    actor_viewer,
    as_post,
    clean_text,
    require_open_office,
    require_open_post,
)
from core.models import Case, Document, EFile, Office, Post, RtiApplication

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


def _visible_links(actor: Actor, *, files, cases, documents) -> dict[str, list]:
    """The linked records, refused unless the actor may see every one of them (a link never
    reveals a record to someone who could not open it)."""
    viewer = actor_viewer(actor)
    checks = (
        ("files", files, files_visible(viewer), _("You may not link a file you cannot see.")),
        ("cases", cases, cases_visible(viewer), _("You may not link a case you cannot see.")),
        ("documents", documents, documents_visible(viewer), _("You may not link a document you cannot see.")),
    )
    links = {}
    for field, items, visible, message in checks:
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
    post_id = office_sight_post_id(actor_viewer(actor), office.pk) if actor.person else None
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


__all__ = ["rti_number", "rti_receive"]
