"""The case register's use cases: register a case, change its particulars, move its papers, and
record who read it. Each is atomic and appends its audit event in the same transaction.

Who may call them: whoever may see the case (``core.cases.access``); a case is registered by a
holder of a post in the thana or a supervisor over it.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.base.actors import actor_viewer, as_post, require_open_office, require_open_post
from core.base.audit import Actor, audit_append
from core.base.text import clean_text
from core.cases.access import case_post_id, case_visible_q, thana_post_id
from core.models import Case, CaseCustody, Office, PapersPlace, Post

SECTIONS_MAX = 500
NAMES_MAX = 300
TEXT_MAX = 20000
FIR_MAX = 999_999
FIRST_YEAR = 1900

# The particulars ``case_update`` may change, and how each is written in the audit trail.
UPDATABLE = ("status", "io_post", "sections", "brief_facts", "complainant", "accused")


def _clean_particulars(*, sections: str, brief_facts: str, complainant: str, accused: str) -> dict:
    return {
        "sections": clean_text(sections, field="sections", max_length=SECTIONS_MAX),
        "brief_facts": clean_text(brief_facts, field="brief_facts", required=False, max_length=TEXT_MAX),
        "complainant": clean_text(complainant, field="complainant", required=False, max_length=NAMES_MAX),
        "accused": clean_text(accused, field="accused", required=False, max_length=TEXT_MAX),
    }


def _check_io_post(io_post: Post | None) -> None:
    if io_post is None:
        return
    if io_post.kind == Post.Kind.DISTRICT_ADMIN:
        raise ValidationError({"io_post": [_("The district admin's post cannot investigate a case.")]})
    try:
        require_open_post(io_post)
    except ValidationError as error:
        raise ValidationError({"io_post": error.messages}) from error


def _check_number(*, year: int, fir_number: int, registered_on: datetime.date) -> None:
    today = timezone.localdate()
    if not FIRST_YEAR <= year <= today.year:
        raise ValidationError(
            {
                "year": [
                    _("Give a year from %(first)d to %(last)d.") % {"first": FIRST_YEAR, "last": today.year}
                ]
            }
        )
    if not 1 <= fir_number <= FIR_MAX:
        raise ValidationError({"fir_number": [_("Give an FIR number from 1 to %(max)d.") % {"max": FIR_MAX}]})
    if registered_on > today:
        raise ValidationError({"registered_on": [_("The registration date cannot be in the future.")]})
    if registered_on.year != year:
        raise ValidationError(
            {
                "registered_on": [
                    _("The registration date must fall in the case's year, %(year)d.") % {"year": year}
                ]
            }
        )


def _duplicate_error(thana: Office, year: int, fir_number: int) -> ValidationError:
    return ValidationError(
        {
            "fir_number": [
                _("Case %(number)d/%(year)d of this thana is already in the register.")
                % {"number": fir_number, "year": year}
            ]
        },
        code="duplicate_fir",
    )


@transaction.atomic
def case_register(
    *,
    actor: Actor,
    thana: Office,
    year: int,
    fir_number: int,
    registered_on: datetime.date,
    sections: str,
    brief_facts: str = "",
    complainant: str = "",
    accused: str = "",
    io_post: Post | None = None,
) -> Case:
    """Enter a case in the register, its papers kept at the thana (the first custody row).

    Guarantees one case per thana, year and FIR number (a clear error on the FIR number, the
    unique constraint as a backstop against a simultaneous entry). Refuses an office that is not a
    thana, a closed thana, a future date, a date outside the case's year. Called by a holder of a
    post in the thana or a supervisor over it (acting as that post)."""
    if thana.kind != Office.Kind.THANA:
        raise ValidationError({"thana": [_("Cases are registered at a thana; this office is not one.")]})
    try:
        require_open_office(thana)
    except ValidationError as error:
        raise ValidationError({"thana": error.messages}) from error
    post_id = thana_post_id(actor_viewer(actor), thana.pk) if actor.person else None
    if post_id is None:
        raise ValidationError(
            {"thana": [_("You may not keep the case register of this thana.")]}, code="not_your_thana"
        )
    _check_number(year=year, fir_number=fir_number, registered_on=registered_on)
    particulars = _clean_particulars(
        sections=sections, brief_facts=brief_facts, complainant=complainant, accused=accused
    )
    _check_io_post(io_post)
    if Case.objects.filter(thana=thana, year=year, fir_number=fir_number).exists():
        raise _duplicate_error(thana, year, fir_number)
    case = Case(
        thana=thana,
        year=year,
        fir_number=fir_number,
        registered_on=registered_on,
        io_post=io_post,
        created_by=actor.person,
        created_post_id=post_id,
        **particulars,
    )
    try:
        with transaction.atomic():
            case.save(force_insert=True)
    except IntegrityError as error:
        # Another entry of the same number committed between the check and the insert.
        raise _duplicate_error(thana, year, fir_number) from error
    CaseCustody.objects.create(
        case=case,
        to_place=case.papers_at,
        moved_on=registered_on,
        by=actor.person,
        by_post_id=post_id,
        remarks=_("Case registered."),
    )
    audit_append(
        actor=as_post(actor, post_id),
        action="case.register",
        target=case,
        summary=case.label,
        details={
            "thana": thana.pk,
            "year": year,
            "fir_number": fir_number,
            "io_post": io_post.pk if io_post else None,
        },
    )
    return case


def case_locked(
    actor: Actor, case: Case, *, rule=case_post_id, refusal: str = "", code: str = "not_your_case"
) -> tuple[Case, int]:
    """The case locked against a simultaneous change, and the post ``rule`` lets the actor act as
    (by default the post they see it as: anyone who may see a case may keep it); refused
    (``refusal``, ``code``) unless they may see the case and the rule gives them a post. The one
    lock of the register's and the progress reports' writes."""
    viewer = actor_viewer(actor) if actor.person else None
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("thana")
        .filter(case_visible_q(viewer), pk=case.pk)
        .first()
        if viewer is not None
        else None
    )
    post_id = rule(viewer, locked) if locked is not None else None
    if post_id is None:
        raise ValidationError(refusal or _("You may not change this case."), code=code)
    return locked, post_id


def _audit_value(value):
    return value.pk if isinstance(value, Post) else value


@transaction.atomic
def case_update(
    *,
    actor: Actor,
    case: Case,
    status: str,
    io_post: Post | None,
    sections: str,
    brief_facts: str = "",
    complainant: str = "",
    accused: str = "",
) -> Case:
    """Change a case's status, investigating officer and particulars. Refuses an unknown status,
    a closed post as IO, and a change that changes nothing. Called by whoever may see the case;
    the audit event records each change (old → new)."""
    locked, post_id = case_locked(actor, case)
    if status not in Case.Status.values:
        raise ValidationError({"status": [_("Choose a status from the list.")]})
    new = {"status": status, "io_post": io_post}
    new |= _clean_particulars(
        sections=sections, brief_facts=brief_facts, complainant=complainant, accused=accused
    )
    if io_post is not None and io_post.pk != locked.io_post_id:
        _check_io_post(io_post)
    changes = {}
    for name in UPDATABLE:
        old_value = locked.io_post_id if name == "io_post" else getattr(locked, name)
        new_value = _audit_value(new[name])
        if old_value != new_value:
            changes[name] = [old_value, new_value]
            setattr(locked, name, new[name])
    if not changes:
        raise ValidationError(_("Nothing was changed."), code="unchanged")
    locked.save(update_fields=[*changes])
    audit_append(
        actor=as_post(actor, post_id),
        action="case.update",
        target=locked,
        summary=locked.label,
        details={"changes": changes},
    )
    return locked


@transaction.atomic
def case_custody_move(
    *, actor: Actor, case: Case, to_place: str, moved_on: datetime.date, remarks: str = ""
) -> CaseCustody:
    """Record that the case's physical papers moved to ``to_place`` on ``moved_on``: a custody
    row (from where they were) and the case's ``papers_at``. Refuses an unknown place, the place
    they are already at, a future date, a date before the case was registered or before their last
    move. Called by whoever may see the case."""
    locked, post_id = case_locked(actor, case)
    if to_place not in PapersPlace.values:
        raise ValidationError({"to_place": [_("Choose a place from the list.")]})
    if to_place == locked.papers_at:
        raise ValidationError({"to_place": [_("The papers are already kept there.")]})
    if moved_on > timezone.localdate():
        raise ValidationError({"moved_on": [_("The date of the move cannot be in the future.")]})
    last_move = locked.custody.order_by("-moved_on").values_list("moved_on", flat=True).first()
    earliest = max(filter(None, [locked.registered_on, last_move]))
    if moved_on < earliest:
        raise ValidationError(
            {
                "moved_on": [
                    _("The date of the move cannot be before %(date)s.")
                    % {"date": formats.date_format(earliest, "DATE_FORMAT")}
                ]
            }
        )
    remarks = clean_text(remarks, field="remarks", required=False, max_length=2000)
    move = CaseCustody.objects.create(
        case=locked,
        from_place=locked.papers_at,
        to_place=to_place,
        moved_on=moved_on,
        remarks=remarks,
        by=actor.person,
        by_post_id=post_id,
    )
    locked.papers_at = to_place
    locked.save(update_fields=["papers_at"])
    audit_append(
        actor=as_post(actor, post_id),
        action="case.custody_move",
        target=locked,
        summary=f"{locked.label}: {move.from_place} → {to_place}",
        details={
            "from": move.from_place,
            "to": to_place,
            "moved_on": moved_on.isoformat(),
            "remarks": remarks,
        },
    )
    return move


@transaction.atomic
def case_view_record(*, actor: Actor, case: Case, page: str = "case") -> None:
    """Record that the actor read the case (its page or its edit form). Called by views after
    ``case_for`` found the case for the viewer."""
    audit_append(
        actor=as_post(actor, case_post_id(actor_viewer(actor), case)) if actor.person else actor,
        action="case.view",
        target=case,
        summary=case.label,
        details={"page": page},
    )


__all__ = ["case_custody_move", "case_register", "case_update", "case_view_record"]
