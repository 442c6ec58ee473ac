"""Office templates: the offices and posts a district starts with, kept, copied, captured, applied.

Platform staff call these from the state console (``actor`` is a ``StaffActor``); onboarding
calls ``office_template_apply`` from its task with the actor rebuilt by
``StaffActor.from_task_args``. Each write is atomic and audited in the same transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.models import Office, Post
from core.org.services.office_setup import offices_apply, structure_in_parent_order
from state_admin.models import OfficeTemplate
from state_admin.office_template_builtins import BUILTIN_SLUGS, BUILTINS
from state_admin.services.audit import StaffActor, audit_record
from tenants.context import district_context
from tenants.models import District

MAX_PHASE = 9
RESERVED_SLUGS = frozenset({"new"})
OFFICE_KEYS = frozenset({"code", "name", "name_hi", "kind", "parent", "phase", "posts"})
POST_KEYS = frozenset({"code", "title", "title_hi", "kind"})


def office_template_list() -> QuerySet[OfficeTemplate]:
    """Every template, by name: for the list page and the onboarding form's select."""
    return OfficeTemplate.objects.order_by("name")


def office_template_is_builtin(template: OfficeTemplate) -> bool:
    return template.slug in BUILTIN_SLUGS


def _is_code(value) -> bool:
    return isinstance(value, str) and bool(value) and slugify(value) == value and len(value) <= 40


def _shown(value) -> str:
    """A value from the JSON as it may appear in an error message: text, cut short; anything else "?"."""
    if not isinstance(value, str) or not value:
        return "?"
    return value if len(value) <= 60 else value[:60] + "…"


def _optional_text(value) -> bool:
    return value is None or isinstance(value, str)


def office_template_structure_check(offices) -> list[dict]:
    """Check a template's ``offices`` structure; raise ValidationError listing every problem.

    Returns the structure with blanks filled in (``name_hi``, ``parent``, ``posts``).
    """
    if not isinstance(offices, list) or not offices:
        raise ValidationError(
            {"offices": [_("The template needs a list of offices, with at least one office.")]}
        )
    errors: list[str] = []
    kinds, post_kinds = set(Office.Kind.values), set(Post.Kind.values)
    seen_offices: set[str] = set()
    seen_posts: set[str] = set()
    cleaned: list[dict] = []
    for number, office in enumerate(offices, start=1):
        if not isinstance(office, dict):
            errors.append(_("Office %(n)s is not an object with fields.") % {"n": number})
            continue
        code = office.get("code")
        where = _("Office %(n)s (%(code)s)") % {"n": number, "code": _shown(code)}
        for key in sorted(set(office) - OFFICE_KEYS):
            errors.append(_("%(where)s: unknown field “%(key)s”.") % {"where": where, "key": key})
        if not _is_code(code):
            errors.append(
                _("%(where)s: the code must be lower-case letters, digits and hyphens.") % {"where": where}
            )
        elif code in seen_offices:
            errors.append(_("%(where)s: the office code is used twice.") % {"where": where})
        else:
            seen_offices.add(code)
        if not isinstance(office.get("name"), str) or not office["name"].strip():
            errors.append(_("%(where)s: the office needs a name.") % {"where": where})
        if not _optional_text(office.get("name_hi")):
            errors.append(_("%(where)s: the Hindi name must be text.") % {"where": where})
        kind = office.get("kind")
        if not isinstance(kind, str) or kind not in kinds:
            errors.append(
                _("%(where)s: unknown office type “%(kind)s”; use one of %(kinds)s.")
                % {"where": where, "kind": _shown(kind), "kinds": ", ".join(sorted(kinds))}
            )
        parent = office.get("parent")
        if not _optional_text(parent):
            errors.append(
                _("%(where)s: the parent must be the code of an office of this template, or empty.")
                % {"where": where}
            )
            parent = ""
        phase = office.get("phase", 1)
        if isinstance(phase, bool) or not isinstance(phase, int) or not 1 <= phase <= MAX_PHASE:
            errors.append(
                _("%(where)s: the phase must be a whole number from 1 to %(max)s.")
                % {"where": where, "max": MAX_PHASE}
            )
        posts = office.get("posts", [])
        if not isinstance(posts, list):
            errors.append(_("%(where)s: posts must be a list.") % {"where": where})
            posts = []
        for post_number, post in enumerate(posts, start=1):
            errors += _post_errors(post, where=where, number=post_number, kinds=post_kinds, seen=seen_posts)
        cleaned.append(
            {
                "code": code,
                "name": str(office.get("name", "")).strip(),
                "name_hi": str(office.get("name_hi") or "").strip(),
                "kind": kind,
                "parent": parent or "",
                "phase": phase,
                "posts": [
                    {key: (str(post.get(key) or "").strip()) for key in ("code", "title", "title_hi", "kind")}
                    for post in posts
                    if isinstance(post, dict)
                ],
            }
        )
    for office in cleaned:
        parent = office["parent"]
        if parent and parent not in seen_offices:
            errors.append(
                _("Office %(code)s: its parent “%(parent)s” is not an office of this template.")
                % {"code": _shown(office["code"]), "parent": _shown(parent)}
            )
        elif parent == office["code"]:
            errors.append(_("Office %(code)s cannot be its own parent.") % {"code": _shown(office["code"])})
    if not errors and _has_cycle(cleaned):
        errors.append(_("The parents of the offices go round in a circle."))
    if errors:
        raise ValidationError({"offices": errors})
    return cleaned


def _post_errors(post, *, where: str, number: int, kinds: set[str], seen: set[str]) -> list[str]:
    if not isinstance(post, dict):
        return [_("%(where)s: post %(n)s is not an object with fields.") % {"where": where, "n": number}]
    errors = []
    code = post.get("code")
    here = _("%(where)s, post %(n)s (%(code)s)") % {"where": where, "n": number, "code": _shown(code)}
    for key in sorted(set(post) - POST_KEYS):
        errors.append(_("%(where)s: unknown field “%(key)s”.") % {"where": here, "key": key})
    if not isinstance(code, str) or not code or slugify(code) != code or len(code) > 60:
        errors.append(
            _("%(where)s: the code must be lower-case letters, digits and hyphens.") % {"where": here}
        )
    elif code in seen:
        errors.append(_("%(where)s: the post code is used twice.") % {"where": here})
    else:
        seen.add(code)
    if not isinstance(post.get("title"), str) or not post["title"].strip():
        errors.append(_("%(where)s: the post needs a title.") % {"where": here})
    if not _optional_text(post.get("title_hi")):
        errors.append(_("%(where)s: the Hindi title must be text.") % {"where": here})
    kind = post.get("kind")
    if not isinstance(kind, str) or kind not in kinds:
        errors.append(
            _("%(where)s: unknown post type “%(kind)s”; use one of %(kinds)s.")
            % {"where": here, "kind": _shown(kind), "kinds": ", ".join(sorted(kinds))}
        )
    return errors


def _has_cycle(offices: list[dict]) -> bool:
    parents = {office["code"]: office["parent"] for office in offices}
    for code in parents:
        seen = set()
        while code:
            if code in seen:
                return True
            seen.add(code)
            code = parents.get(code, "")
    return False


def _slug_check(slug: str, *, current: OfficeTemplate | None = None) -> None:
    if not _is_code(slug) or slug in RESERVED_SLUGS:
        raise ValidationError({"slug": [_("Use lower-case letters, digits and hyphens (not “new”).")]})
    if OfficeTemplate.objects.filter(slug=slug).exclude(pk=current.pk if current else None).exists():
        raise ValidationError(
            {"slug": [_("Another template already has the code “%(slug)s”.") % {"slug": slug}]}
        )


@transaction.atomic
def office_template_builtin_ensure() -> int:
    """Create or bring up to date the built-in templates (idempotent; run after every migrate).

    Returns how many rows it created or changed. Not audited: it is the platform's own data.
    """
    changed = 0
    for builtin in BUILTINS:
        fields = {key: builtin[key] for key in ("name", "name_hi", "description", "offices")}
        template = OfficeTemplate.objects.filter(slug=builtin["slug"]).first()
        if template is None:
            OfficeTemplate.objects.create(slug=builtin["slug"], **fields)
            changed += 1
        elif any(getattr(template, key) != value for key, value in fields.items()):
            OfficeTemplate.objects.filter(pk=template.pk).update(**fields)
            changed += 1
    return changed


def _template_create(
    *, actor: StaffActor, slug: str, name: str, name_hi: str, description: str, offices
) -> OfficeTemplate:
    _slug_check(slug)
    if not name.strip():
        raise ValidationError({"name": [_("Give the template a name.")]})
    structure = office_template_structure_check(offices)
    return OfficeTemplate.objects.create(
        slug=slug,
        name=name.strip(),
        name_hi=name_hi.strip(),
        description=description.strip(),
        offices=structure,
        created_by=actor.user,
    )


@transaction.atomic
def office_template_create(
    *, actor: StaffActor, slug: str, name: str, name_hi: str = "", description: str = "", offices: list
) -> OfficeTemplate:
    """A new template from a checked structure. Audited "office_template.create"."""
    template = _template_create(
        actor=actor, slug=slug, name=name, name_hi=name_hi, description=description, offices=offices
    )
    audit_record(
        actor=actor, action="office_template.create", target=slug, details={"offices": len(template.offices)}
    )
    return template


@transaction.atomic
def office_template_copy(
    *, actor: StaffActor, source: OfficeTemplate, slug: str, name: str, name_hi: str = ""
) -> OfficeTemplate:
    """A new template with the offices of ``source``, to change freely. Audited "office_template.copy"."""
    template = _template_create(
        actor=actor,
        slug=slug,
        name=name,
        name_hi=name_hi,
        description=source.description,
        offices=source.offices,
    )
    audit_record(
        actor=actor,
        action="office_template.copy",
        target=slug,
        details={"from": source.slug, "offices": len(template.offices)},
    )
    return template


def district_structure_read(*, district: District) -> list[dict]:
    """The district's offices and posts as a template structure, its names made into placeholders."""

    def generic(text: str, *, english: bool) -> str:
        name = district.name if english else district.name_hi
        return text.replace(name, "{district}" if english else "{district_hi}") if name else text

    with district_context(district.schema_name):
        posts: dict[int, list[dict]] = {}
        for post in Post.objects.order_by("code"):
            posts.setdefault(post.office_id, []).append(
                {
                    "code": post.code,
                    "title": generic(post.title, english=True),
                    "title_hi": generic(post.title_hi, english=False),
                    "kind": post.kind,
                }
            )
        structure = [
            {
                "code": office.code,
                "name": generic(office.name, english=True) or office.code,
                "name_hi": generic(office.name_hi, english=False),
                "kind": office.kind,
                "parent": office.parent.code if office.parent_id else "",
                "phase": min(max(office.phase, 1), MAX_PHASE),
                "posts": posts.get(office.pk, []),
            }
            for office in Office.objects.select_related("parent").order_by("phase", "code")
        ]
    return structure_in_parent_order(structure)


@transaction.atomic
def office_template_capture(
    *, actor: StaffActor, district: District, slug: str, name: str, name_hi: str = ""
) -> OfficeTemplate:
    """A new template from a district's offices and posts as they are now ("save Vaishali's
    set-up as a template"). The district's own names become ``{district}`` placeholders.
    Only a district with a schema (live, suspended or archived) can be captured; any other
    raises ValidationError on ``capture_from``. Audited "office_template.capture"."""
    if not district.has_schema:
        raise ValidationError(
            {
                "capture_from": [
                    _("%(district)s has no offices to capture yet (it is %(status)s).")
                    % {"district": district.name, "status": district.get_status_display()}
                ]
            }
        )
    structure = district_structure_read(district=district)
    template = _template_create(
        actor=actor,
        slug=slug,
        name=name,
        name_hi=name_hi,
        description=_("Captured from %(district)s.") % {"district": district.name},
        offices=structure,
    )
    audit_record(
        actor=actor,
        action="office_template.capture",
        district=district,
        target=slug,
        details={"offices": len(template.offices)},
    )
    return template


@transaction.atomic
def office_template_update(
    *, actor: StaffActor, template: OfficeTemplate, name: str, name_hi: str, description: str, offices
) -> OfficeTemplate:
    """Change a template's names and offices. Built-in templates stay as shipped (copy them)."""
    if office_template_is_builtin(template):
        raise ValidationError(_("A built-in template stays as shipped; copy it to make changes."))
    if not name.strip():
        raise ValidationError({"name": [_("Give the template a name.")]})
    structure = office_template_structure_check(offices)
    template.name, template.name_hi = name.strip(), name_hi.strip()
    template.description, template.offices = description.strip(), structure
    template.save()
    audit_record(
        actor=actor,
        action="office_template.update",
        target=template.slug,
        details={"offices": len(structure)},
    )
    return template


@transaction.atomic
def office_template_apply(*, actor: StaffActor | None, district: District, template: OfficeTemplate) -> dict:
    """Create in a live district the template's offices and posts that it lacks (matched by code).

    Existing offices and posts are left as they are and nothing is deleted, so applying again
    creates nothing. Returns ``{"offices_created": n, "posts_created": n}``. Audited
    "office_template.apply" (as "system" when ``actor`` is None).
    """
    if district.status != District.Status.LIVE:
        raise ValidationError(
            _("%(district)s is not live; a template can be applied only to a live district.")
            % {"district": district.name}
        )
    structure = office_template_structure_check(template.offices)
    with district_context(district.schema_name):
        counts = offices_apply(
            structure=structure, district_name=district.name, district_name_hi=district.name_hi
        )
    audit_record(
        actor=actor,
        action="office_template.apply",
        district=district,
        target=template.slug,
        details=dict(counts),
    )
    return counts
