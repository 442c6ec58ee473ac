"""The trays: inbox, sent, parked, closed: the pages' selectors (``core.efile.selectors.inbox``),
the same order, paged by cursor."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from core.api.base import CURSOR, ApiView, cursor_page, page_body, paged, responses, viewer
from core.api.serializers import FileSerializer, SentItemSerializer, TrayItemSerializer
from core.api.shapes import file_shape, sent_shape, tray_shape
from core.efile.selectors import inbox as trays


def _rows(page) -> list[dict]:
    return [tray_shape(row.kind, row.item) for row in page]


class InboxView(ApiView):
    @extend_schema(
        operation_id="inbox",
        parameters=[CURSOR],
        responses=responses({200: paged(TrayItemSerializer)}),
        tags=["trays"],
    )
    def get(self, request):
        """Files and dak waiting at my posts: new first, then by due date, then latest arrival."""
        page = trays.inbox_page(viewer(request), cursor_page(request))
        return Response(page_body(page, _rows(page), has_next=page.has_next()))


class SentView(ApiView):
    @extend_schema(
        operation_id="sent",
        parameters=[CURSOR],
        responses=responses({200: paged(SentItemSerializer)}),
        tags=["trays"],
    )
    def get(self, request):
        """What left my posts (sent or returned), latest first."""
        page = trays.sent_page(viewer(request), cursor_page(request))
        return Response(page_body(page, [sent_shape(m) for m in page], has_next=page.has_next()))


class ParkedView(ApiView):
    @extend_schema(
        operation_id="parked",
        parameters=[CURSOR],
        responses=responses({200: paged(FileSerializer)}),
        tags=["trays"],
    )
    def get(self, request):
        """Files parked at my posts, last parked first."""
        page = trays.parked_page(viewer(request), cursor_page(request))
        return Response(page_body(page, [file_shape(f) for f in page], has_next=page.has_next()))


class ClosedView(ApiView):
    @extend_schema(
        operation_id="closed",
        parameters=[CURSOR],
        responses=responses({200: paged(TrayItemSerializer)}),
        tags=["trays"],
    )
    def get(self, request):
        """Files and dak closed at my posts or that passed through them, last closed first."""
        page = trays.closed_page(viewer(request), cursor_page(request))
        return Response(page_body(page, _rows(page), has_next=page.has_next))
