"""The staff directory's card, ``/people/<person id>/``: read-only, audited. The person is looked
up through ``person_for``: whoever may not open the card gets 404."""

from __future__ import annotations

from django.shortcuts import render

from core.base.access import viewer_of
from core.base.audit import Actor
from core.base.http import item_or_404
from core.people.access import person_for, person_view_post_id
from core.people.selectors import person_postings
from core.people.services import person_view_record


@item_or_404(person_for, "GET")
def person_page(request, person):
    person_view_record(
        actor=Actor.from_request(request, post_id=person_view_post_id(viewer_of(request))), person=person
    )
    postings = list(person_postings(person_id=person.pk))
    return render(request, "core/people/card.html", {"person": person, "postings": postings})
