"""The search page, ``/search/``: the box and its filters, results grouped by kind with counts,
each hit marked where it matched and linked to its record; a number that exactly one visible
record carries goes straight to that record. Every search is audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from core.audit import Actor
from core.efile.access import office_sight_post_id, viewer_of
from core.models import Case, EFile, Receipt, RtiApplication
from core.models.search import SearchEntry
from core.names import name_in_language
from core.search.forms import SearchForm
from core.search.highlight import Highlighter
from core.search.links import entry_url, hit_links
from core.search.query import search
from core.search.services import search_query_record
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
    for hit in hits:
        if hit.kind == SearchEntry.Kind.CASE and hit.object_id in cases:
            hit.title = cases[hit.object_id].label
        elif hit.kind == SearchEntry.Kind.PERSON and hit.object_id in people:
            hit.title = name_in_language(people[hit.object_id], "full_name") or hit.title
        hit.title_html = marker.title(hit.title)
        hit.names_html = marker.title(" · ".join(hit.names.split("\n"))) if hit.names else ""
        hit.snippet_html = marker.snippet(hit.body)
        hit.status_label = STATUS_LABELS.get(hit.kind, {}).get(hit.status, "")


@login_required
def search_page(request):
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        viewer = viewer_of(request)
        results = search(
            viewer,
            data["q"],
            kinds=[data["kind"]] if data["kind"] else None,
            office_id=data["office"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            status=data["status"],
            page=data["page"] or 1,
        )
        jump = results.jump if not form.filtered and not data["page"] else None
        filters = {k: str(v) for k, v in data.items() if v and k != "q"}
        search_query_record(
            actor=Actor.from_request(request, post_id=office_sight_post_id(viewer, None)),
            q=data["q"],
            filters=filters,
            counts=results.counts,
            jumped_to=f"{jump.kind}:{jump.object_id}" if jump else "",
        )
        if jump is not None:
            return redirect(entry_url(jump))
        _decorate(results)
    return render(request, "core/search/search.html", {"form": form, "results": results})
