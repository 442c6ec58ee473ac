"""The trays: inbox, sent, parked, closed: the pages' selectors (``core.efile.selectors.inbox``:
which items, in which order), paged by stable cursors (``core.api.cursors``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from core.api.base import ApiView, paged, responses, viewer
from core.api.cursors import CURSOR, Keyset
from core.api.serializers import FileSerializer, SentItemSerializer, TrayItemSerializer
from core.api.shapes import file_shape, sent_shape, tray_shape
from core.efile.selectors import inbox as trays

PAGE_SIZE = trays.PAGE_SIZE

INBOX = Keyset("inbox", trays.INBOX_ORDER)
SENT = Keyset("sent", trays.SENT_ORDER)
PARKED = Keyset("parked", trays.PARKED_ORDER)
CLOSED = Keyset("closed", trays.CLOSED_ORDER)


def _union_page(keyset: Keyset, arms: dict, request, *, came: bool) -> dict:
    """A page of a union of files and dak (rows ``(kind, id, *the order's other columns)``)."""
    names = [column.name for column in keyset.columns]

    def key_of(row):
        named = dict(zip(("kind", "id", *[n for n in names if n not in ("kind", "id")]), row, strict=True))
        return tuple(named[name] for name in names)

    rows, following = keyset.page(
        [(arm, {"kind": kind}) for kind, arm in arms.items()],
        request.query_params.get("cursor"),
        PAGE_SIZE,
        key_of,
    )
    items = trays.tray_rows([(row[0], row[1]) for row in rows], came=came)
    return {"results": [tray_shape(row.kind, row.item) for row in items], "next": following}


class InboxView(ApiView):
    @extend_schema(
        operation_id="inbox",
        parameters=[CURSOR],
        responses=responses({200: paged(TrayItemSerializer)}),
        tags=["trays"],
    )
    def get(self, request):
        """Files and dak waiting at my posts: new first, then by due date, then latest arrival."""
        return Response(_union_page(INBOX, trays.inbox_arms(viewer(request)), request, came=True))


class SentView(ApiView):
    @extend_schema(
        operation_id="sent",
        parameters=[CURSOR],
        responses=responses({200: paged(SentItemSerializer)}),
        tags=["trays"],
    )
    def get(self, request):
        """What left my posts (sent or returned), latest first."""
        steps = trays.sent_steps(viewer(request)).values_list("at", "id")
        rows, following = SENT.page([(steps, {})], request.query_params.get("cursor"), PAGE_SIZE, tuple)
        movements = trays.sent_rows([pk for _at, pk in rows])
        return Response({"results": [sent_shape(m) for m in movements], "next": following})


class ParkedView(ApiView):
    @extend_schema(
        operation_id="parked",
        parameters=[CURSOR],
        responses=responses({200: paged(FileSerializer)}),
        tags=["trays"],
    )
    def get(self, request):
        """Files parked at my posts, last parked first."""
        files, following = PARKED.page(
            [(trays.parked_files(viewer(request)), {})],
            request.query_params.get("cursor"),
            PAGE_SIZE,
            lambda file: (file.updated_at, file.pk),
        )
        return Response({"results": [file_shape(f) for f in files], "next": following})


class ClosedView(ApiView):
    @extend_schema(
        operation_id="closed",
        parameters=[CURSOR],
        responses=responses({200: paged(TrayItemSerializer)}),
        tags=["trays"],
    )
    def get(self, request):
        """Files and dak closed at my posts or that passed through them, last closed first."""
        arms = {
            kind: trays.tray_arm(queryset, kind, "closed_at")
            for kind, queryset in trays.closed_arms(viewer(request)).items()
        }
        return Response(_union_page(CLOSED, arms, request, came=False))
