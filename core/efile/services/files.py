"""Files: open one in an office, change its particulars, and record that someone read it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.base.actors import as_post, require_item_held, require_open_office, require_post_held
from core.base.audit import Actor, audit_append
from core.base.text import clean_text
from core.efile.numbering import file_kind, file_number, number_create, number_next
from core.efile.services.common import item_take_in
from core.efile.services.notes import require_file_workable
from core.efile.services.tracking import item_arrive, item_lock
from core.models import EFile, FileHead, Movement, Post


def file_heads_for(office) -> list[FileHead]:
    """The heads an office may number files under: the district's and its own, open ones only."""
    return list(
        FileHead.objects.filter(Q(office__isnull=True) | Q(office=office), closed=False).order_by("code")
    )


def _require_choices(values: dict[str, str]) -> None:
    for field, choices in (
        ("category", EFile.Category),
        ("priority", EFile.Priority),
        ("confidentiality", EFile.Confidentiality),
    ):
        if values[field] not in choices.values:
            raise ValidationError({field: [_("Choose one of the listed values.")]})


@transaction.atomic
def file_create(
    *,
    actor: Actor,
    post: Post,
    head: FileHead,
    subject: str,
    category: str,
    priority: str = EFile.Priority.NORMAL,
    confidentiality: str = EFile.Confidentiality.NORMAL,
) -> EFile:
    """Open a file at ``post`` (held by the acting person) in the post's office, numbered from the
    head and the year (``SPVAI/CRIME/2025/0007``). The file starts at ``post``, taken in."""
    require_post_held(actor, post)
    office = post.office
    require_open_office(office)
    if head.closed or (head.office_id is not None and head.office_id != office.pk):
        raise ValidationError({"head": [_("Choose one of this office's file heads.")]})
    _require_choices({"category": category, "priority": priority, "confidentiality": confidentiality})
    year = timezone.localdate().year
    serial = number_next(office=office, kind=file_kind(head), year=year)
    number = file_number(office=office, head=head, year=year, serial=serial)
    fields = dict(
        office=office,
        head=head,
        number=number,
        year=year,
        serial=serial,
        subject=clean_text(subject, field="subject", max_length=500),
        category=category,
        priority=priority,
        confidentiality=confidentiality,
        current_post=post,
        created_by=actor.person,
        created_post=post,
    )
    file = number_create(lambda: EFile.objects.create(**fields), model=EFile, field="number", number=number)
    item_arrive(
        item=file,
        to_post=post,
        by=actor.person,
        action=Movement.Action.CREATED,
        from_post=None,
        received=True,
    )
    audit_append(
        actor=as_post(actor, post),
        action="file.create",
        target=file,
        summary=f"{file.number}: {file.subject}",
        details={"category": category, "priority": priority, "confidentiality": confidentiality},
    )
    return file


# Pages with an action code of their own; every other page showing the file is a ``file.view``.
OWN_ACTION_PAGES = ("track", "history")


@transaction.atomic
def file_view_record(*, actor: Actor, file: EFile, page: str = "file", **details) -> None:
    """Someone opened a page showing the file: an event in the audit trail. The file page itself
    is ``file.view``; its track and history ``file.track`` / ``file.history``; any other page
    showing its contents (the form to change its particulars, to edit a note, to write or change a
    draft) a ``file.view`` naming the page and ``details`` (the note or draft). Callers checked
    that the person may see the file."""
    if page in OWN_ACTION_PAGES:
        action, recorded = f"file.{page}", {}
    else:
        action, recorded = "file.view", ({} if page == "file" else {"page": page, **details})
    audit_append(actor=actor, action=action, target=file, summary=file.number, details=recorded)


@transaction.atomic
def file_update(
    *,
    actor: Actor,
    file: EFile,
    subject: str,
    category: str,
    priority: str,
    confidentiality: str,
) -> EFile:
    """Change a file's subject, category, priority or confidentiality: a holder of the post the
    file is at, while it is open. The number and the office never change. Nothing changed, nothing
    recorded; otherwise one audit event with the old and new values."""
    file = item_lock(file)
    post = require_item_held(actor, file)
    require_file_workable(file)
    values = {
        "subject": clean_text(subject, field="subject", max_length=500),
        "category": category,
        "priority": priority,
        "confidentiality": confidentiality,
    }
    _require_choices(values)
    changed = {
        name: [getattr(file, name), value] for name, value in values.items() if getattr(file, name) != value
    }
    if not changed:
        return file
    item_take_in(actor=actor, item=file, post=post, on="file.update")
    for name, (_old, new) in changed.items():
        setattr(file, name, new)
    file.updated_at = timezone.now()
    file.save(update_fields=[*changed, "updated_at"])
    audit_append(
        actor=as_post(actor, post),
        action="file.update",
        target=file,
        summary=f"{file.number}: {', '.join(changed)}",
        details={"changed": changed},
    )
    return file
