"""Reads of the RTI register, always through the visibility rule of ``core.rti.access``: the
register list with its filters and each row's reply clock, the offices to enter or filter by,
and the records linked to an application that the viewer may open."""

from __future__ import annotations

import datetime
import re

from django.db.models import Case as SqlCase
from django.db.models import F, Q, Value, When
from django.urls import reverse

from core.base.access import Viewer, documents_visible, files_visible
from core.cases.access import cases_visible
from core.models import Case, Document, EFile, Office, Post, RtiApplication
from core.rti.access import rtis_visible
from core.rti.clocks import rti_clocks
from core.templatetags.karyalay import bilingual

# Statuses of an application with no reply yet: the ones a reply clock can be running on.
UNANSWERED = (
    RtiApplication.Status.RECEIVED,
    RtiApplication.Status.FEE_PENDING,
    RtiApplication.Status.THIRD_PARTY,
    RtiApplication.Status.DEEMED_REFUSED,
)
# A 48-hour (life or liberty) application still awaiting its reply: listed first, oldest first.
# A third party's notice sets the 40-day clock instead (core.rti.clocks), so it is not urgent.
URGENT = Q(
    life_or_liberty=True,
    third_party_notified_on__isnull=True,
    replied_on__isnull=True,
    status__in=UNANSWERED,
)
# The shortest reply period (48 hours): nothing received later than this before a day is overdue.
SHORTEST = datetime.timedelta(days=2)
CASE_REFERENCE = re.compile(r"^(?P<thana>.*?)\s*(?P<number>\d{1,6})\s*/\s*(?P<year>\d{4})$")


def application_url(rti_id: int) -> str:
    """The path of an application's page (``core.rti.urls``), for links and e-mails."""
    return reverse("rti", args=[rti_id])


def rti_list(
    viewer: Viewer,
    *,
    today: datetime.date,
    now: datetime.datetime | None = None,
    office: Office | None = None,
    status: str = "",
    received_from: datetime.date | None = None,
    received_to: datetime.date | None = None,
    due_within: int | None = None,
    overdue: bool = False,
):
    """The applications the viewer may see, newest first after the 48-hour (life or liberty)
    applications still awaiting a reply, which come first, oldest first; filtered by office, status, received
    dates and, by their reply clock on ``today``, "reply due within N days" (due today to N days
    on, not yet overdue) and "overdue" (no reply and past the due date or moment); both given,
    either one. The clock filters compute ``core.rti.clocks`` over the unanswered applications only."""
    applications = rtis_visible(viewer).select_related("office", "pio_post")
    if office is not None:
        applications = applications.filter(office=office)
    if status:
        applications = applications.filter(status=status)
    if received_from is not None:
        applications = applications.filter(received_on__gte=received_from)
    if received_to is not None:
        applications = applications.filter(received_on__lte=received_to)
    if due_within is not None or overdue:
        # The shortest period bounds the receipt date of anything due by then (a superset).
        latest = today - SHORTEST
        if due_within is not None:
            latest = max(latest, today + datetime.timedelta(days=due_within) - SHORTEST)
        candidates = applications.filter(
            status__in=UNANSWERED, replied_on__isnull=True, received_on__lte=latest
        )
        ids = []
        for application in candidates:
            reply = rti_clocks(application.facts, today=today, now=now).reply
            if reply.due_on is None:
                continue
            if (overdue and reply.overdue) or (
                due_within is not None and not reply.overdue and 0 <= reply.days_left <= due_within
            ):
                ids.append(application.pk)
        applications = applications.filter(pk__in=ids)
    return applications.annotate(
        urgent=SqlCase(When(URGENT, then=Value(0)), default=Value(1)),
        urgent_since=SqlCase(When(URGENT, then=F("received_on"))),
    ).order_by("urgent", F("urgent_since").asc(nulls_last=True), "-received_on", "-id")


def with_clocks(applications, *, today: datetime.date, now: datetime.datetime | None = None) -> list:
    """The applications (a page of them), each with its ``clocks`` as of ``today``."""
    rows = list(applications)
    for application in rows:
        application.clocks = rti_clocks(application.facts, today=today, now=now)
    return rows


def _office_options(offices) -> list[tuple[int, str]]:
    return [(office.pk, bilingual(office)) for office in offices.order_by("name", "id")]


def entry_office_choices(viewer: Viewer) -> list[tuple[int, str]]:
    """The open offices whose RTI register the viewer may keep: those they hold a post in or
    supervise (every office for the SP or an Addl. SP)."""
    offices = Office.objects.exclude(status=Office.Status.CLOSED)
    if viewer.district_wide:
        return _office_options(offices)
    if not viewer.sees_anything:
        return []
    # The district admin's post administers and keeps no register (as in the e-File).
    own = set(
        Post.objects.filter(pk__in=viewer.post_ids)
        .exclude(kind=Post.Kind.DISTRICT_ADMIN)
        .values_list("office_id", flat=True)
    )
    return _office_options(offices.filter(pk__in=own | set(viewer.scope_office_ids)))


def filter_office_choices(viewer: Viewer) -> list[tuple[int, str]]:
    """The offices of the applications the viewer may see (to filter the register by)."""
    ids = rtis_visible(viewer).order_by().values("office_id").distinct()
    return _office_options(Office.objects.filter(pk__in=ids))


def rti_links(viewer: Viewer, application: RtiApplication) -> dict[str, list]:
    """The files, cases and documents linked to the application that the viewer may open (a
    link never shows a record the viewer could not open)."""
    return {
        "files": list(files_visible(viewer).filter(pk__in=application.files.values("pk")).order_by("number")),
        "cases": list(
            cases_visible(viewer)
            .filter(pk__in=application.cases.values("pk"))
            .select_related("thana")
            .order_by("-year", "fir_number")
        ),
        "documents": list(
            documents_visible(viewer)
            .filter(pk__in=application.documents.values("pk"))
            .order_by("title", "id")
        ),
    }


def files_by_number(viewer: Viewer, numbers: list[str]) -> tuple[list[EFile], list[str]]:
    """The files the viewer may see with these numbers, and the numbers that matched none."""
    found = {file.number: file for file in files_visible(viewer).filter(number__in=numbers)}
    return [found[number] for number in numbers if number in found], [n for n in numbers if n not in found]


def case_by_reference(viewer: Viewer, reference: str) -> tuple[Case | None, int]:
    """The one case the viewer may see written as ``123/2025`` or ``Mahua Thana 123/2025`` (the
    thana's name in English or Hindi, or its start), and how many cases matched (0, 1 or more)."""
    match = CASE_REFERENCE.match(reference.strip())
    if match is None:
        return None, 0
    cases = cases_visible(viewer).filter(fir_number=int(match["number"]), year=int(match["year"]))
    thana = match["thana"].strip()
    if thana:
        cases = cases.filter(Q(thana__name__icontains=thana) | Q(thana__name_hi__icontains=thana))
    found = list(cases.select_related("thana")[:2])
    return (found[0] if len(found) == 1 else None), len(found)


def case_reference(case: Case) -> str:
    """How a case is written in the application's form: ``Mahua Thana 123/2025``."""
    return f"{case.thana.name} {case.fir_number}/{case.year}"


def document_choices(viewer: Viewer, application: RtiApplication) -> list[tuple[int, str]]:
    """Documents the viewer may link: those of the linked files and cases they may see, and
    those already linked that they may see."""
    documents = documents_visible(viewer).filter(
        Q(file__in=application.files.values("pk"))
        | Q(case__in=application.cases.values("pk"))
        | Q(pk__in=application.documents.values("pk"))
    )
    return [(document.pk, document.title) for document in documents.order_by("title", "id")]


def reply_document_choices(viewer: Viewer, application: RtiApplication) -> list[tuple[int, str]]:
    """What the PIO may disclose in a reply (the reply page's form and the API's alike): the
    documents linked to the application and those of its linked files and cases that the viewer
    may see, each with a stored version; (id, title) ordered by title."""
    documents = Document.objects.filter(
        Q(pk__in=application.documents.values("pk"))
        | Q(
            pk__in=documents_visible(viewer)
            .filter(Q(file__in=application.files.values("pk")) | Q(case__in=application.cases.values("pk")))
            .values("pk")
        )
    ).filter(versions__isnull=False)
    return [(document.pk, document.title) for document in documents.distinct().order_by("title", "id")]


def documents_chosen(viewer: Viewer, ids: list[int]) -> list[Document]:
    return list(documents_visible(viewer).filter(pk__in=ids))


__all__ = [
    "case_by_reference",
    "case_reference",
    "document_choices",
    "documents_chosen",
    "entry_office_choices",
    "files_by_number",
    "filter_office_choices",
    "reply_document_choices",
    "rti_links",
    "rti_list",
    "with_clocks",
]
