"""Onboarding a district from the state console: check the request, record it, start the work.

The work itself (schema, domain, starting data, first admin, then the chosen office template) runs
in the background (``state_admin.tasks.provisioning``); the onboarding page follows its steps.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from core.org.officer_import.check import mobile_normalise
from state_admin.models import OfficeTemplate
from state_admin.services.audit import StaffActor, audit_record
from state_admin.services.provisioning import DistrictSpec, district_spec_check
from state_admin.tasks.provisioning import district_provision_enqueue
from tenants.models import District, User
from tenants.naming import is_devanagari_name, is_latin_name
from tenants.services import LOGIN_ID_PATTERN, person_get_or_create, police_range_get_or_create

# No 0/o, 1/l/i: the password is read off a screen and typed by someone else.
_PASSWORD_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 (an alphabet)


def district_names_check(*, name: str, name_hi: str) -> None:
    """The English name in Latin letters, the Hindi name in Devanagari; a clear error otherwise."""
    errors = {}
    if not is_latin_name(name):
        errors["name"] = [_("Write the English name in Latin letters, e.g. Vaishali.")]
    if name_hi.strip() and not is_devanagari_name(name_hi):
        errors["name_hi"] = [_("Write the Hindi name in Devanagari, e.g. वैशाली.")]
    if errors:
        raise ValidationError(errors)


def district_request_check(spec: DistrictSpec) -> None:
    """Refuse a bad onboarding request (names, range, address, named admin) with every field's
    errors at once."""
    errors: dict[str, list[str]] = {}
    if spec.range_name and not is_latin_name(spec.range_name):
        errors["new_range"] = [_("Write the range's name in Latin letters, e.g. Tirhut.")]
    for check in (
        lambda: district_names_check(name=spec.name, name_hi=spec.name_hi),
        lambda: district_spec_check(spec),
    ):
        try:
            check()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(m for m in messages if m not in errors.get(field, []))
    if errors:
        raise ValidationError(errors)


def supervision_request_check(
    spec: DistrictSpec, *, supervised: tuple[str, ...] = (), template: OfficeTemplate | None = None
) -> None:
    """A range office or headquarters asked for (issue 22.2): a range office names its police range
    (one office per range); headquarters belongs to no range; only a range office is given
    districts to supervise, police districts all; an office template is for a police district."""
    errors: dict[str, list[str]] = {}
    if spec.kind not in District.Kind.values:
        errors["kind"] = [_("Choose a district, a range office or police headquarters.")]
    elif spec.kind == District.Kind.RANGE:
        if not spec.range_name:
            errors["police_range"] = [
                _("A range office needs its police range: choose one or name a new one.")
            ]
        else:
            taken = (
                District.objects.filter(kind=District.Kind.RANGE, police_range__name__iexact=spec.range_name)
                .exclude(slug=spec.slug)
                .first()
            )
            if taken is not None:
                errors["police_range"] = [
                    _("The %(range)s range already has its office on Karyalay (%(slug)s).")
                    % {"range": spec.range_name, "slug": taken.slug}
                ]
    elif spec.kind == District.Kind.HEADQUARTERS and spec.range_name:
        errors["police_range"] = [_("Headquarters belongs to no range: it supervises every district.")]
    if supervised and spec.kind != District.Kind.RANGE:
        errors["supervised"] = [_("Only a range office is given districts to supervise.")]
    known = set(
        District.objects.police_districts().filter(slug__in=supervised).values_list("slug", flat=True)
    )
    if set(supervised) - known:
        errors.setdefault("supervised", []).append(_("Choose police districts from the list."))
    if template is not None and spec.kind != District.Kind.DISTRICT:
        errors["template"] = [
            _(
                "An office template is for a police district; a range office or headquarters "
                "starts with its one office."
            )
        ]
    if errors:
        raise ValidationError(errors)


def district_onboard(
    *,
    actor: StaffActor,
    spec: DistrictSpec,
    template: OfficeTemplate | None = None,
    supervised: tuple[str, ...] = (),
) -> None:
    """Start onboarding a district, or a range office or headquarters (``spec.kind``; a range
    office's ``supervised`` districts are put in its range here): refuse bad input with field
    errors, else audit and enqueue. Platform staff only (the views check). The task is enqueued on
    commit, so a request that fails after this call never leaves a task behind.
    """
    district_request_check(spec)
    supervision_request_check(spec, supervised=supervised, template=template)
    with transaction.atomic():
        if supervised:
            District.objects.filter(slug__in=supervised).update(
                police_range=police_range_get_or_create(name=spec.range_name)
            )
        audit_record(
            actor=actor,
            action="district.onboard",
            district_slug=spec.slug,
            target=spec.name,
            details={
                "name_hi": spec.name_hi,
                "range": spec.range_name,
                "admin": spec.admin_login_id or "",
                "template": template.slug if template else "",
                "kind": spec.kind,
                "supervised": list(supervised),
            },
        )
        transaction.on_commit(
            lambda: district_provision_enqueue(
                spec=spec, template_id=template.pk if template else None, actor=actor
            )
        )


@dataclass(frozen=True)
class FirstAdmin:
    """A district's first admin, made by the state console when they have no account yet."""

    full_name: str
    full_name_hi: str
    login_id: str
    mobile: str = ""
    email: str = ""


def first_admin_problems(admin: FirstAdmin) -> dict[str, list[str]]:
    """Every reason the new account cannot be made, by field (``admin_*``), all at once."""
    errors: dict[str, list[str]] = {}
    login_id = admin.login_id.strip().lower()
    if not is_latin_name(admin.full_name):
        errors["admin_name"] = [_("Write the English name in Latin letters, e.g. Ravi Ranjan.")]
    if not is_devanagari_name(admin.full_name_hi):
        errors["admin_name_hi"] = [_("Write the Hindi name in Devanagari, e.g. रवि रंजन.")]
    if not LOGIN_ID_PATTERN.fullmatch(login_id):
        errors["admin_new_login_id"] = [
            _("A login ID has 3 to 64 lowercase letters, digits, dots, hyphens or underscores.")
        ]
    elif User.objects.filter(login_id=login_id).exists():
        errors["admin_new_login_id"] = [
            _("This login ID is taken; if it is the admin's own account, give it as an existing account.")
        ]
    if admin.mobile.strip() and mobile_normalise(admin.mobile) is None:
        errors["admin_mobile"] = [_("Not an Indian mobile number: ten digits starting with 6, 7, 8 or 9.")]
    email = admin.email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["admin_email"] = [_("Not an e-mail address.")]
        else:
            if User.objects.annotate(email_l=Lower("email")).filter(email_l=email.lower()).exists():
                errors["admin_email"] = [_("This e-mail address belongs to another person.")]
    if not admin.mobile.strip() and not email:
        errors["admin_mobile"] = [_("Give a mobile number or an e-mail address, to reach the admin.")]
    return errors


def temporary_password() -> str:
    """Twelve letters and digits in three groups, e.g. ``k7mp-x3qa-9wzt``: to be replaced at first sign-in."""
    letters = "".join(secrets.choice(_PASSWORD_LETTERS) for _ in range(12))
    return "-".join(letters[i : i + 4] for i in range(0, 12, 4))


def district_onboard_with_admin(
    *,
    actor: StaffActor,
    spec: DistrictSpec,
    new_admin: FirstAdmin | None = None,
    template: OfficeTemplate | None = None,
    supervised: tuple[str, ...] = (),
) -> str:
    """Onboard ``spec``'s district (``district_onboard``, with a range office's ``supervised``)
    with its first admin an existing account
    (``spec.admin_login_id``) or one made here (``new_admin``) with a temporary password, which is
    returned (never stored or logged) to be shown once; the person must replace it at first
    sign-in. The account and the onboarding commit together or not at all. Field errors
    (``admin_*``) come all at once. Platform staff only (the views check).
    """
    if bool((spec.admin_login_id or "").strip()) == (new_admin is not None):
        raise ValidationError(
            {"admin_login_id": [_("Name the first district admin: an existing login ID, or a new account.")]}
        )
    errors = first_admin_problems(new_admin) if new_admin is not None else {}
    try:
        district_request_check(replace(spec, admin_login_id=None) if new_admin is not None else spec)
    except ValidationError as exc:
        for field, messages in _admin_field(exc).message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    password = ""
    with transaction.atomic():
        if new_admin is not None:
            password = temporary_password()
            person, _made = person_get_or_create(
                login_id=new_admin.login_id,
                full_name=" ".join(new_admin.full_name.split()),
                full_name_hi=" ".join(new_admin.full_name_hi.split()),
                email=new_admin.email.strip(),
                password=password,
                must_set_password=True,
            )
            if new_admin.mobile.strip():
                person.mobile = mobile_normalise(new_admin.mobile) or ""
                person.save(update_fields=["mobile"])
            audit_record(
                actor=actor,
                action="account.create",
                district_slug=spec.slug,
                target=person.login_id,
                details={"role": "district admin", "must_set_password": True},
            )
            spec = replace(spec, admin_login_id=person.login_id)
        spec = replace(spec, admin_login_id=spec.admin_login_id.strip().lower())
        try:
            district_onboard(actor=actor, spec=spec, template=template, supervised=supervised)
        except ValidationError as exc:
            raise _admin_field(exc) from exc
    return password


def _admin_field(exc: ValidationError) -> ValidationError:
    """The onboarding's errors with its ``admin`` field named as the forms name it."""
    if not hasattr(exc, "error_dict"):
        return ValidationError({"__all__": exc.messages})
    return ValidationError(
        {("admin_login_id" if k == "admin" else k): v for k, v in exc.message_dict.items()}
    )


def district_provision_planned(
    *,
    actor: StaffActor,
    district: District,
    admin_login_id: str = "",
    new_admin: FirstAdmin | None = None,
    template: OfficeTemplate | None = None,
) -> str:
    """Provision a planned district from what the state console knows of it (names, range, slug),
    its first admin as in ``district_onboard_with_admin`` (whose temporary password it returns)."""
    if district.status != District.Status.PLANNED:
        raise ValidationError(_("Only a planned district is provisioned from its page."))
    spec = DistrictSpec(
        slug=district.slug,
        name=district.name,
        name_hi=district.name_hi,
        range_name=district.police_range.name if district.police_range_id else "",
        admin_login_id=admin_login_id,
    )
    return district_onboard_with_admin(actor=actor, spec=spec, new_admin=new_admin, template=template)
