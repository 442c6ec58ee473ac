"""Search, as the search page (``core.search.query.search``, the same sight rule), audited."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from core.api.base import ApiView, checked, responses, viewer
from core.api.serializers import SearchSerializer
from core.base.access import office_sight_post_id
from core.base.audit import Actor
from core.search.forms import SearchForm
from core.search.query import search
from core.search.services import search_query_record

_PARAMS = [
    OpenApiParameter("q", str, required=True),
    OpenApiParameter("kind", str),
    OpenApiParameter("office", int),
    OpenApiParameter("date_from", OpenApiTypes.DATE),
    OpenApiParameter("date_to", OpenApiTypes.DATE),
    OpenApiParameter("status", str),
    OpenApiParameter("page", int),
]


class SearchView(ApiView):
    rate_limit_kind = "search"

    @extend_schema(
        operation_id="search",
        parameters=_PARAMS,
        responses=responses({200: SearchSerializer}),
        tags=["search"],
    )
    def get(self, request):
        """Records matching ``q`` that I may see, grouped by kind (the page's filters)."""
        data = checked(SearchForm(request.query_params))
        if not data["q"]:
            raise exceptions.ValidationError({"q": [_("Type what to search for.")]})
        who = viewer(request)
        results = search(
            who,
            data["q"],
            kinds=[data["kind"]] if data["kind"] else None,
            office_id=data["office"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            status=data["status"],
            page=data["page"] or 1,
        )
        search_query_record(
            actor=Actor.from_request(request, post_id=office_sight_post_id(who, None)),
            q=data["q"],
            filters={k: str(v) for k, v in data.items() if v and k != "q"},
            counts=results.counts,
            jumped_to="",
        )
        groups = [
            {
                "kind": group.kind,
                "count": group.count,
                "capped": bool(getattr(group, "capped", False)),
                "hits": [
                    {"kind": hit.kind, "id": hit.object_id, "title": hit.title, "status": hit.status or ""}
                    for hit in group.hits
                ],
            }
            for group in results.groups
        ]
        return Response({"q": data["q"], "groups": groups})
