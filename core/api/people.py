"""The staff directory: the people posted in this district today (``core.people.access``, the
card's and the search's rule) and one person's card with their posts here (audited as the card)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from core.api.base import ApiView, actor, found, paged, responses, viewer
from core.api.cursors import CURSOR, Keyset
from core.api.serializers import PersonDetailSerializer, PersonSerializer
from core.api.shapes import person_shape
from core.people.access import people_visible, person_for, person_view_post_id
from core.people.selectors import person_postings
from core.people.services import person_view_record

PAGE_SIZE = 100
PEOPLE = Keyset("people", ("full_name", "id"))


class PeopleView(ApiView):
    @extend_schema(
        operation_id="people",
        parameters=[CURSOR],
        responses=responses({200: paged(PersonSerializer)}),
        tags=["people"],
    )
    def get(self, request):
        """Everybody posted here today, by name."""
        people, following = PEOPLE.page(
            [(people_visible(viewer(request)), {})],
            request.query_params.get("cursor"),
            PAGE_SIZE,
            lambda person: (person.full_name, person.pk),
        )
        return Response({"results": [person_shape(p) for p in people], "next": following})


class PersonView(ApiView):
    @extend_schema(
        operation_id="person_read", responses=responses({200: PersonDetailSerializer}), tags=["people"]
    )
    def get(self, request, person_id: int):
        """A person's card: names, rank, service number and posts here (a view in the audit trail)."""
        person = found(person_for, request, person_id)
        person_view_record(actor=actor(request, post_id=person_view_post_id(viewer(request))), person=person)
        posts = [
            {
                "id": p.post_id,
                "title": p.post.title,
                "title_hi": p.post.title_hi,
                "office_id": p.post.office_id,
            }
            for p in person_postings(person_id=person.pk)
        ]
        return Response({**person_shape(person), "posts": posts})
