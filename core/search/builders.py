"""One builder per kind: records (by id, or all of them) turned into the fields of their
``SearchEntry`` rows. The live index and the rebuild both build through here, so they agree.

Each builder reads a batch of records with a fixed number of queries (notes, pages, thanas read
for the whole batch) and returns one dict per record found; a record that is gone has none.
Texts are language-neutral: a case is "Mahua PS case 123/2025" whatever the page's language, with
the thana's Hindi name among its names; a person is their name, with their Hindi name, posts and
offices (both scripts) among their names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import OuterRef, Subquery
from django.utils import translation

from core.models import Case, Document, DocumentPage, DocumentVersion, EFile, Note, Receipt, RtiApplication
from core.models.cases import thana_short_name
from core.models.search import SearchEntry
from core.org.selectors.postings import posting_in_force_list
from core.search.script import devanagari_in_latin, other_script
from tenants.models import User

Kind = SearchEntry.Kind
# A body longer than this is cut (a tsvector holds at most 1 MB; nobody searches past it).
BODY_LIMIT = 200_000


def _lines(*values) -> str:
    seen: list[str] = []
    for value in values:
        value = " ".join(str(value or "").split()).upper()
        if value and value not in seen:
            seen.append(value)
    return "\n".join(seen)


def _join(*values) -> str:
    return "\n".join(str(v).strip() for v in values if v and str(v).strip())


def _entry(kind, pk, *, office_id, on, status, identifiers, title, body="", names="") -> dict:
    title = " ".join(title.split())
    return {
        "kind": kind,
        "object_id": pk,
        "office_id": office_id,
        "on": on,
        "status": status or "",
        "identifiers": identifiers,
        "title": title,
        "body": body[:BODY_LIMIT],
        "names": names,
        "other_script": " ".join(
            part
            for part in (other_script(f"{title} {names}"), devanagari_in_latin(body[:BODY_LIMIT]))
            if part
        ),
    }


def _filter(queryset, ids: Iterable[int] | None):
    return queryset if ids is None else queryset.filter(pk__in=list(ids))


def receipts(ids=None) -> list[dict]:
    rows = _filter(Receipt.objects.order_by("pk"), ids).values(
        "pk", "office_id", "received_on", "status", "diary_number", "letter_reference",
        "subject", "sender", "sender_address",
    )  # fmt: skip
    return [
        _entry(
            Kind.RECEIPT,
            r["pk"],
            office_id=r["office_id"],
            on=r["received_on"],
            status=r["status"],
            identifiers=_lines(r["diary_number"], r["letter_reference"]),
            title=r["subject"],
            body=_join(r["letter_reference"], r["sender_address"]),
            names=r["sender"],
        )
        for r in rows
    ]


def files(ids=None) -> list[dict]:
    rows = list(
        _filter(EFile.objects.order_by("pk"), ids).values(
            "pk", "office_id", "created_at", "status", "number", "subject"
        )
    )
    notes = defaultdict(list)
    for file_id, body in (
        Note.objects.filter(file_id__in=[r["pk"] for r in rows])
        .order_by("file_id", "seq", "id")
        .values_list("file_id", "body")
    ):
        notes[file_id].append(body)
    return [
        _entry(
            Kind.FILE,
            r["pk"],
            office_id=r["office_id"],
            on=r["created_at"].date(),
            status=r["status"],
            identifiers=_lines(r["number"]),
            title=r["subject"],
            body=_join(*notes[r["pk"]]),
        )
        for r in rows
    ]


def documents(ids=None) -> list[dict]:
    rows = list(
        _filter(Document.objects.order_by("pk"), ids).values(
            "pk", "title", "created_at", "file__office_id", "receipt__office_id", "case__thana_id"
        )
    )
    doc_ids = [r["pk"] for r in rows]
    # The pages of each document's latest version only, chosen in SQL (older versions' pages
    # can be many and are never indexed).
    latest = (
        DocumentVersion.objects.filter(document_id=OuterRef("version__document_id"))
        .order_by("-number")
        .values("number")[:1]
    )
    pages = defaultdict(list)
    page_rows = DocumentPage.objects.filter(
        version__document_id__in=doc_ids, version__number=Subquery(latest)
    ).select_related("version")
    for page in page_rows.order_by("version__document_id", "number"):
        pages[page.version.document_id].append(page)
    out = []
    for r in rows:
        own = pages[r["pk"]]
        out.append(
            _entry(
                Kind.DOCUMENT,
                r["pk"],
                office_id=r["file__office_id"] or r["receipt__office_id"] or r["case__thana_id"],
                on=r["created_at"].date(),
                status="",
                identifiers=_lines(*(p.manual_case_number for p in own)),
                title=r["title"],
                body=_join(*(p.searchable_text for p in own)),
                names=_join(*(p.manual_names for p in own)),
            )
        )
    return out


def _case_names(case: Case) -> tuple[str, str, str]:
    """(English short name, Hindi short name, short code) of the case's thana."""
    with translation.override("en"):
        english = thana_short_name(case.thana)
    with translation.override("hi"):
        hindi = thana_short_name(case.thana)
    return english, (hindi if hindi != english else ""), case.thana.abbr


def cases(ids=None) -> list[dict]:
    out = []
    for case in _filter(Case.objects.select_related("thana").order_by("pk"), ids):
        english, hindi, abbr = _case_names(case)
        number = f"{case.fir_number}/{case.year}"
        out.append(
            _entry(
                Kind.CASE,
                case.pk,
                office_id=case.thana_id,
                on=case.registered_on,
                status=case.status,
                identifiers=_lines(
                    number,
                    f"{english}/{number}",
                    f"{abbr}/{number}" if abbr else "",
                    f"{hindi}/{number}" if hindi else "",
                ),
                title=f"{english} PS case {number}",
                body=_join(case.sections, case.brief_facts),
                names=_join(case.complainant, case.accused, hindi),
            )
        )
    return out


def rtis(ids=None) -> list[dict]:
    rows = _filter(RtiApplication.objects.order_by("pk"), ids).values(
        "pk", "office_id", "received_on", "status", "number", "subject", "applicant_name", "applicant_address"
    )
    return [
        _entry(
            Kind.RTI,
            r["pk"],
            office_id=r["office_id"],
            on=r["received_on"],
            status=r["status"],
            identifiers=_lines(r["number"]),
            title=r["subject"],
            body=r["applicant_address"],
            names=r["applicant_name"],
        )
        for r in rows
    ]


def _unique(*values) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def people(ids=None) -> list[dict]:
    """The people posted in this district today (``core.people.access``, the directory's rule), by
    person id: a person not posted here today has no row, so an ended posting drops it. Their
    service number is their number; their office is their main (substantive, earliest) posting's.
    Accounts are global: only this district's posts and offices are named."""
    postings = (
        posting_in_force_list()
        .select_related("post__office")
        .order_by("person_id", "additional_charge", "starts_on", "id")
    )
    if ids is not None:
        postings = postings.filter(person_id__in=list(ids))
    held = defaultdict(list)
    for posting in postings:
        held[posting.person_id].append(posting)
    rows = (
        User.objects.filter(pk__in=list(held))
        .order_by("pk")
        .values("pk", "full_name", "full_name_hi", "service_number", "rank")
    )
    out = []
    for r in rows:
        own = held[r["pk"]]
        title = r["full_name"] or r["full_name_hi"] or r["service_number"]
        posts = [(p.post.title, p.post.title_hi, p.post.office.name, p.post.office.name_hi) for p in own]
        out.append(
            _entry(
                Kind.PERSON,
                r["pk"],
                office_id=own[0].post.office_id,
                on=None,
                status="",
                identifiers=_lines(r["service_number"]),
                title=title,
                body=r["rank"],
                names="\n".join(_unique(r["full_name_hi"], *(name for post in posts for name in post))),
            )
        )
    return out


BUILDERS = {
    Kind.RECEIPT: (Receipt, receipts),
    Kind.FILE: (EFile, files),
    Kind.DOCUMENT: (Document, documents),
    Kind.CASE: (Case, cases),
    Kind.RTI: (RtiApplication, rtis),
    Kind.PERSON: (User, people),
}


def every_id(kind: str) -> list[int]:
    """The ids of every record of a kind, for the rebuild: every row of its model, but for people
    only those posted in this district today (accounts are the whole state's)."""
    if kind == Kind.PERSON:
        return sorted(set(posting_in_force_list().values_list("person_id", flat=True)))
    model, _build = BUILDERS[kind]
    return list(model.objects.order_by("pk").values_list("pk", flat=True))


__all__ = ["BUILDERS", "cases", "documents", "every_id", "files", "people", "receipts", "rtis"]
