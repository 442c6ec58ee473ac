"""A file sent up to the range DIG or headquarters for supervision (issue 22.2).

"A DIG may read a file that an SP sends up to him; he does not browse the district." So nothing
here lets a range read a district's schema: the sender's district makes a read-only snapshot of
the file (its number, subject, notes, track and the list of its documents, with the papers
themselves as PDFs or images) and it travels as a letter through the exchange (``letter_queue``:
outbox → public exchange → the range's inbox, idempotent). The DIG reads the snapshot in his own
tenant; his direction goes back as an ordinary letter in reply. The sender sees only delivered
and diarised, like any letter.

The snapshot is taken through the same sight rule as the file's pages: a file the sender may not
see cannot be sent, and what goes is only this file (its notes, its movements, its documents and
those of the dak put in it), never anything else of the district.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.base.access import files_visible, viewer_for
from core.base.actors import as_post, require_post_held
from core.base.audit import Actor, audit_append
from core.base.pdf import pdf_bytes, pdf_heading, pdf_new, pdf_paragraph, pdf_table
from core.base.storage import stored_path
from core.efile.selectors.track import item_track
from core.efile.services.dispatch import dispatch_record
from core.letters.files import bytes_remove, bytes_store
from core.letters.send import NOT_LIVE, letter_queue
from core.models import (
    Document,
    DocumentVersion,
    EFile,
    IncomingLetter,
    Movement,
    Note,
    OutgoingLetter,
    Post,
    Receipt,
)
from core.supervision.selectors import supervised_districts
from tenants.models import District, OfficeDirectoryEntry


def send_up_choices(*, here: District) -> list[OfficeDirectoryEntry]:
    """The open offices of the live range office and headquarters that supervise ``here``."""
    entries = (
        OfficeDirectoryEntry.objects.filter(open=True, district__status=District.Status.LIVE)
        .exclude(district__kind=District.Kind.DISTRICT)
        .select_related("district")
        .order_by("district__name", "name")
    )
    return [entry for entry in entries if _supervises(entry.district, here)]


def _supervises(supervisor: District, here: District) -> bool:
    return supervised_districts(supervisor).filter(pk=here.pk).exists()


def _require_supervising(entry: OfficeDirectoryEntry, here: District) -> District:
    district = entry.district
    if district.kind == District.Kind.DISTRICT or not _supervises(district, here):
        raise ValidationError(
            {
                "to_office": [
                    _(
                        "%(office)s does not supervise %(district)s: a file goes up only to the "
                        "range office over the district or to police headquarters."
                    )
                    % {"office": f"{entry.name}, {district.name}", "district": here.name}
                ]
            },
            code="not_supervising",
        )
    if district.status != District.Status.LIVE:
        raise ValidationError(
            {"to_office": [str(NOT_LIVE[district.status]) % {"district": district.name}]}, code="not_live"
        )
    if not entry.open:
        raise ValidationError({"to_office": [_("That office is closed and receives no letters.")]})
    return district


def _when(value) -> str:
    return timezone.localtime(value).isoformat(timespec="minutes") if value else ""


def _post_name(post: Post | None) -> str:
    if post is None:
        return ""
    return f"{post.title}, {post.office.name}"


def file_snapshot(file: EFile) -> dict:
    """What of ``file`` goes up: number, subject, notes, track and its papers' names. The caller
    has checked that the sender may see the file."""
    notes = Note.objects.filter(file=file).select_related("author_post__office").order_by("seq")
    track = item_track(file)
    return {
        "number": file.number,
        "subject": file.subject,
        "office": file.office.name,
        "category": file.get_category_display(),
        "priority": file.get_priority_display(),
        "opened": _when(file.created_at),
        "notes": [
            {"seq": n.seq, "body": n.body, "post": _post_name(n.author_post), "at": _when(n.created_at)}
            for n in notes
        ],
        "track": [
            {
                "action": step.movement.action,  # its label in the reader's language there
                "from": _post_name(step.movement.from_post),
                "to": _post_name(step.movement.to_post),
                "at": _when(step.movement.at),
                "remarks": step.movement.remarks,
            }
            for step in track.steps
        ],
        "papers": [],
        "remarks": "",
    }


def _snapshot_pdf(snapshot: dict) -> bytes:
    """The snapshot as a PDF: the file's noting side and its track, so the paper that goes up
    (and is diarised at the range) reads like the file."""
    actions = dict(Movement.Action.choices)
    pdf = pdf_new(title=snapshot["subject"], footer=snapshot["number"])
    pdf_heading(pdf, f"{snapshot['number']}: {snapshot['subject']}")
    pdf_paragraph(pdf, f"{_('Office')}: {snapshot['office']}")
    pdf_heading(pdf, _("Notes"), size=12)
    for note in snapshot["notes"]:
        pdf_paragraph(pdf, f"{note['seq']}. {note['post']} · {note['at']}", bold=True)
        pdf_paragraph(pdf, note["body"])
    pdf_heading(pdf, _("Track"), size=12)
    pdf_table(
        pdf,
        header=[_("When"), _("Action"), _("From"), _("To"), _("Remarks")],
        rows=[
            [s["at"], actions.get(s["action"], s["action"]), s["from"], s["to"], s["remarks"]]
            for s in snapshot["track"]
        ],
        widths=[28, 22, 45, 45, 40],
    )
    return pdf_bytes(pdf)


def _papers(file: EFile, written: list[str]) -> tuple[list[dict], list[dict]]:
    """The latest version of each document of the file (and of the dak put in it), copied to this
    district's letter storage for the relay: (documents for the payload, their names for the
    snapshot)."""
    documents = (
        Document.objects.filter(Q(file=file) | Q(receipt__file=file))
        .order_by("created_at", "id")
        .only("id", "title")
    )
    latest = {
        v.document_id: v
        for v in DocumentVersion.objects.filter(document__in=documents).order_by("document_id", "number")
    }
    payload, names = [], []
    for index, document in enumerate(documents, start=1):
        version = latest.get(document.pk)
        if version is None:
            continue
        stored = bytes_store(stored_path(version.stored_name).read_bytes())
        written.append(stored["stored_name"])
        name = f"{index:02d}-{version.original_name}"[:200]
        payload.append({"name": name, **stored})
        names.append({"title": document.title, "name": name})
    return payload, names


def file_send_up(
    *, actor: Actor, post: Post, file: EFile, to_office_id: int, remarks: str = ""
) -> OutgoingLetter:
    """Send ``file`` up to an office of the range or headquarters that supervises this district,
    as a letter carrying its snapshot. The acting person must hold ``post`` and may see the file
    (its sight rule); the letter is entered in the outward register of ``post``'s office
    (``dispatch_record`` on the file, so a closed or parked file is refused), sent through the
    exchange once and audited here (``file.send_up``) in the same transaction; the receiving
    tenant audits its delivery and every reading. Papers copied for the relay are removed again if
    the transaction fails."""
    written: list[str] = []
    try:
        return _send_up(
            actor=actor, post=post, file=file, to_office_id=to_office_id, remarks=remarks, written=written
        )
    except BaseException:
        for stored_name in written:
            bytes_remove(stored_name)
        raise


@transaction.atomic
def _send_up(*, actor, post, file, to_office_id, remarks, written) -> OutgoingLetter:
    require_post_held(actor, post)
    viewer = viewer_for(actor.person)
    if not files_visible(viewer).filter(pk=file.pk).exists():
        raise ValidationError(_("You may not see this file, so you cannot send it."), code="not_visible")
    here = District.objects.get(schema_name=connection.schema_name)
    entry = OfficeDirectoryEntry.objects.select_related("district").filter(pk=to_office_id).first()
    if entry is None:
        raise ValidationError({"to_office": [_("Choose an office from the list.")]})
    district = _require_supervising(entry, here)
    file = EFile.objects.select_related("office").get(pk=file.pk)
    snapshot = file_snapshot(file)
    snapshot["remarks"] = remarks
    documents, snapshot["papers"] = _papers(file, written)
    sheet = bytes_store(_snapshot_pdf(snapshot))
    written.append(sheet["stored_name"])
    documents.insert(0, {"name": f"{file.number.replace('/', '-')}.pdf", **sheet})
    addressee = f"{entry.name}, {district.name}"
    dispatch = dispatch_record(
        actor=actor,
        post=post,
        addressee=addressee[:200],
        subject=f"{_('File')} {file.number}: {file.subject}"[:500],
        mode=Receipt.Mode.EMAIL,
        file=file,
    )
    letter = letter_queue(
        actor=actor,
        post=post,
        dispatch=dispatch,
        entry=entry,
        documents=documents,
        extra={"file": snapshot},
    )
    audit_append(
        actor=as_post(actor, post),
        action="file.send_up",
        target=file,
        summary=f"{file.number} → {addressee}",
        details={
            "dispatch": dispatch.number,
            "to_district": district.schema_name,
            "to_office": entry.office_code,
            "notes": len(snapshot["notes"]),
            "papers": len(snapshot["papers"]),
        },
    )
    return letter


@transaction.atomic
def file_snapshot_read(*, actor: Actor, post: Post, incoming: IncomingLetter, paper: str = "") -> None:
    """Record that a supervisor read a file sent up (its page, or one of its papers: ``paper``),
    as ``post``, a post of the office it was sent to: every reading is in this tenant's trail."""
    require_post_held(actor, post)
    audit_append(
        actor=as_post(actor, post),
        action="letter.read",
        target=incoming,
        summary=f"{incoming.file_snapshot.get('number') or incoming.number} ({incoming.from_district_name})"
        + (f": {paper}" if paper else ""),
        details={"from_district": incoming.from_district_schema, "paper": paper or None},
    )
