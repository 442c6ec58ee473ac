"""The search page, ``/search/``: the box and its filters, results grouped by kind with counts,
each hit marked where it matched and linked to its record; a number that exactly one visible
record carries goes straight to that record, and "case 45" ("कांड 45") to case 45 of the year (or
the cases of every thana numbered so); a query with typos that finds little offers the words it
may have meant ("did you mean महुआ / Mahua"), each a link that searches for it. Every search is
audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from core.base.access import office_sight_post_id, viewer_of
from core.base.audit import Actor
from core.base.names import name_in_language
from core.models import Case, EFile, Receipt, RtiApplication
from core.models.search import SearchEntry
from core.search.forms import SearchForm
from core.search.highlight import Highlighter
from core.search.links import entry_url, hit_links
from core.search.numbers import case_number
from core.search.query import FUZZY_CAP, search
from core.search.services import search_query_record
from core.search.suggest import search_suggestion
from core.templatetags.outage import back_entered
from tenants.models import User

STATUS_LABELS = {
    SearchEntry.Kind.RECEIPT: dict(Receipt.Status.choices),
    SearchEntry.Kind.FILE: dict(EFile.Status.choices),
    SearchEntry.Kind.CASE: dict(Case.Status.choices),
    SearchEntry.Kind.RTI: dict(RtiApplication.Status.choices),
}


def _decorate(results) -> None:
    marker = Highlighter(results.terms)
    hits = [hit for group in results.groups for hit in group.hits]
    hit_links(hits)
    # A case's indexed title is language-neutral English ("Mahua PS case 123/2025"); it is shown
    # as the case page shows it, in the reader's language.
    case_ids = [hit.object_id for hit in hits if hit.kind == SearchEntry.Kind.CASE]
    cases = Case.objects.select_related("thana").in_bulk(case_ids) if case_ids else {}
    # A person's indexed title is their English name; in Hindi, their Hindi name where it is known.
    person_ids = [hit.object_id for hit in hits if hit.kind == SearchEntry.Kind.PERSON]
    people = User.objects.only("full_name", "full_name_hi").in_bulk(person_ids) if person_ids else {}
    # A dak brought back after an outage carries its back-entered mark here too (core.outage).
    receipt_ids = [hit.object_id for hit in hits if hit.kind == SearchEntry.Kind.RECEIPT]
    back_entered_receipts = (
        Receipt.objects.filter(pk__in=receipt_ids, back_entered_at__isnull=False)
        .only("pk", "created_at", "back_entered_at")
        .in_bulk()
        if receipt_ids
        else {}
    )
    for hit in hits:
        hit.back_mark = (
            back_entered(back_entered_receipts[hit.object_id])
            if hit.kind == SearchEntry.Kind.RECEIPT and hit.object_id in back_entered_receipts
            else ""
        )
        if hit.kind == SearchEntry.Kind.CASE and hit.object_id in cases:
            hit.title = cases[hit.object_id].label
        elif hit.kind == SearchEntry.Kind.PERSON and hit.object_id in people:
            hit.title = name_in_language(people[hit.object_id], "full_name") or hit.title
        hit.title_html = marker.title(hit.title)
        hit.names_html = marker.title(" · ".join(hit.names.split("\n"))) if hit.names else ""
        hit.snippet_html = marker.snippet(hit.body)
        hit.status_label = STATUS_LABELS.get(hit.kind, {}).get(hit.status, "")


def _carry(results, number: str) -> bool:
    """Whether a hit of ``results`` carries ``number`` as one of its numbers."""
    return any(number in hit.identifiers.split("\n") for group in results.groups for hit in group.hits)


@login_required
def search_page(request):
    form = SearchForm(request.GET or None)
    results = suggestion = number = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        viewer = viewer_of(request)
        filters = {
            "office_id": data["office"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "status": data["status"],
            "page": data["page"] or 1,
        }
        # "case 45", "कांड 45": the cases numbered 45 of this year (or the year given), else the words.
        number = case_number(data["q"], today=timezone.localdate())
        if number and data["kind"] in ("", SearchEntry.Kind.CASE):
            results = search(viewer, number, kinds=[SearchEntry.Kind.CASE], **filters)
            if results.jump is None and not _carry(results, number):
                number = None  # no case so numbered (a near number found as a typo is not it)
        else:
            number = None
        if number is None:
            results = search(viewer, data["q"], kinds=[data["kind"]] if data["kind"] else None, **filters)
        jump = results.jump if not form.filtered and not data["page"] else None
        # Few found, or only the typo pass's stand-ins (each kind counted up to FUZZY_CAP): offer
        # the words the query may have meant.
        if jump is None and all(group.count <= FUZZY_CAP for group in results.groups):
            suggestion = search_suggestion(viewer, results.words)
        search_query_record(
            actor=Actor.from_request(request, post_id=office_sight_post_id(viewer, None)),
            q=data["q"],
            filters={k: str(v) for k, v in data.items() if v and k != "q"},
            counts=results.counts,
            jumped_to=f"{jump.kind}:{jump.object_id}" if jump else "",
        )
        if jump is not None:
            return redirect(entry_url(jump))
        _decorate(results)
    return render(
        request,
        "core/search/search.html",
        {"form": form, "results": results, "suggestion": suggestion, "case_number": number},
    )
