"""The RTI register through the API: the list (the page's filters, each application with its
reply clock), entering an application, reading one with every statutory clock, and the PIO's
reply. The application is found through ``rti_for`` (404 to whoever may not see it); the pages'
forms check the input; the pages' services decide (only the PIO's post replies) and audit."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from core.api.base import ApiView, checked, found, paged, responses, shaped, viewer
from core.api.cursors import CURSOR, Keyset
from core.api.inputs import form_data
from core.base.audit import Actor
from core.base.names import name_in_language
from core.efile.selectors.posts import post_choices
from core.models import RtiApplication, RtiReply
from core.rti import services
from core.rti.access import rti_for, rti_pio_post_id
from core.rti.clocks import rti_clocks
from core.rti.forms.applications import RtiEntryForm, RtiFilterForm
from core.rti.forms.replies import ReplyForm
from core.rti.selectors.applications import (
    entry_office_choices,
    filter_office_choices,
    reply_document_choices,
    rti_links,
    rti_list,
    with_clocks,
)
from core.rti.services.replies import rti_reply

PAGE_SIZE = 50
# ``rti_list``'s order: 48-hour applications awaiting a reply first (oldest first), then newest.
RTIS = Keyset("rti", ("urgent", "urgent_since", "-received_on", "-id"))


class ClockSerializer(serializers.Serializer):
    rule = serializers.CharField()
    sections = serializers.ListField(child=serializers.CharField())
    due_on = serializers.DateField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    done_on = serializers.DateField(allow_null=True)
    days_left = serializers.IntegerField(allow_null=True)
    hours_left = serializers.IntegerField(allow_null=True)
    overdue = serializers.BooleanField()
    late = serializers.BooleanField()
    paused = serializers.BooleanField()
    note = serializers.CharField(allow_null=True)


class ClocksSerializer(serializers.Serializer):
    reply = ClockSerializer()
    transfer = ClockSerializer()
    first_appeal = ClockSerializer(allow_null=True)
    appeal_decision = ClockSerializer(allow_null=True)
    deemed_refused = serializers.BooleanField()
    deemed_refused_on = serializers.DateField(allow_null=True)


class RtiSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    office_id = serializers.IntegerField()
    received_on = serializers.DateField()
    received_at = serializers.TimeField(allow_null=True)
    mode = serializers.CharField()
    applicant_name = serializers.CharField()
    subject = serializers.CharField()
    life_or_liberty = serializers.BooleanField()
    fee = serializers.CharField()
    status = serializers.CharField()
    pio_post_id = serializers.IntegerField()
    replied_on = serializers.DateField(allow_null=True)
    reply_clock = ClockSerializer()


class RtiReplySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    language = serializers.CharField()
    replied_on = serializers.DateField()
    body = serializers.CharField()
    rejection_section = serializers.CharField()
    appeal_authority = serializers.CharField()
    appeal_days = serializers.IntegerField()
    status = serializers.CharField()
    document_ids = serializers.ListField(child=serializers.IntegerField())


class RtiDetailSerializer(serializers.Serializer):
    application = RtiSerializer()
    applicant_address = serializers.CharField()
    clocks = ClocksSerializer()
    helper_post_ids = serializers.ListField(child=serializers.IntegerField())
    file_ids = serializers.ListField(child=serializers.IntegerField())
    case_ids = serializers.ListField(child=serializers.IntegerField())
    document_ids = serializers.ListField(child=serializers.IntegerField())
    can_reply = serializers.BooleanField()
    replies = RtiReplySerializer(many=True)


class RtiEntryInput(serializers.Serializer):
    office = serializers.IntegerField()
    received_on = serializers.DateField()
    received_at = serializers.TimeField(required=False, allow_null=True)
    mode = serializers.CharField()
    applicant_name = serializers.CharField()
    applicant_address = serializers.CharField()
    subject = serializers.CharField()
    life_or_liberty = serializers.BooleanField(required=False)
    fee = serializers.CharField()
    pio_post = serializers.IntegerField()
    helper_posts = serializers.ListField(child=serializers.IntegerField(), required=False)
    files = serializers.CharField(required=False, allow_blank=True, help_text="File numbers, one a line.")
    cases = serializers.CharField(
        required=False, allow_blank=True, help_text='Cases, one a line: "Mahua Thana 123/2025".'
    )


class RtiReplyInput(serializers.Serializer):
    kind = serializers.CharField()
    language = serializers.CharField()
    replied_on = serializers.DateField()
    body = serializers.CharField()
    documents = serializers.ListField(child=serializers.IntegerField(), required=False)
    rejection_section = serializers.CharField(required=False, allow_blank=True)
    appeal_authority = serializers.CharField(required=False, allow_blank=True)
    appeal_days = serializers.IntegerField()


def _clock_shape(clock) -> dict | None:
    if clock is None:
        return None
    return shaped(
        clock,
        ClockSerializer,
        rule=str(clock.rule),
        sections=list(clock.sections),
        note=None if clock.note is None else str(clock.note),
    )


def rti_shape(application: RtiApplication) -> dict:
    """The application with its reply clock (``application.clocks``, set by the caller)."""
    return shaped(application, RtiSerializer, reply_clock=_clock_shape(application.clocks.reply))


def _reply_shape(reply: RtiReply) -> dict:
    return shaped(
        reply, RtiReplySerializer, document_ids=sorted(reply.documents.values_list("pk", flat=True))
    )


_FILTERS = [
    OpenApiParameter("office", int),
    OpenApiParameter("status", str, enum=RtiApplication.Status.values),
    OpenApiParameter("received_from", OpenApiTypes.DATE),
    OpenApiParameter("received_to", OpenApiTypes.DATE),
    OpenApiParameter("due_within", int, description="Reply due within this many days (0 to 366)."),
    OpenApiParameter("overdue", bool),
    CURSOR,
]


class RtisView(ApiView):
    @extend_schema(
        operation_id="rti_list",
        parameters=_FILTERS,
        responses=responses({200: paged(RtiSerializer)}),
        tags=["rti"],
    )
    def get(self, request):
        """The applications I may see with their reply clocks, in the register page's order and
        with its filters."""
        who = viewer(request)
        filters = checked(RtiFilterForm(request.query_params, office_choices=filter_office_choices(who)))
        filters = {k: v for k, v in filters.items() if v is not None and v != "" and v is not False}
        today, now = timezone.localdate(), timezone.now()
        applications, following = RTIS.page(
            [(rti_list(who, today=today, now=now, **filters), {})],
            request.query_params.get("cursor"),
            PAGE_SIZE,
            lambda a: (a.urgent, a.urgent_since, a.received_on, a.pk),
        )
        rows = with_clocks(applications, today=today, now=now)
        return Response({"results": [rti_shape(a) for a in rows], "next": following})

    @extend_schema(
        operation_id="rti_enter",
        request=RtiEntryInput,
        responses=responses({201: RtiSerializer}),
        tags=["rti"],
    )
    def post(self, request):
        """Enter an application in the register of an office I keep."""
        who = viewer(request)
        form = RtiEntryForm(
            form_data(request),
            viewer=who,
            office_choices=entry_office_choices(who),
            post_choices=post_choices(),
        )
        application = services.rti_receive(actor=Actor.from_request(request), **checked(form))
        application.clocks = rti_clocks(application.facts, today=timezone.localdate(), now=timezone.now())
        return Response(rti_shape(application), status=201)


class RtiView(ApiView):
    @extend_schema(operation_id="rti_read", responses=responses({200: RtiDetailSerializer}), tags=["rti"])
    def get(self, request, rti_id: int):
        """The application as its page shows it, with every clock (reply, transfer, first appeal,
        its decision). A view in the audit trail, as the page's."""
        application = found(rti_for, request, rti_id)
        services.rti_view_record(actor=Actor.from_request(request), application=application)
        who = viewer(request)
        clocks = rti_clocks(application.facts, today=timezone.localdate(), now=timezone.now())
        application.clocks = clocks
        links = rti_links(who, application)
        return Response(
            {
                "application": rti_shape(application),
                "applicant_address": application.applicant_address,
                "clocks": {
                    "reply": _clock_shape(clocks.reply),
                    "transfer": _clock_shape(clocks.transfer),
                    "first_appeal": _clock_shape(clocks.first_appeal),
                    "appeal_decision": _clock_shape(clocks.appeal_decision),
                    "deemed_refused": clocks.deemed_refused,
                    "deemed_refused_on": clocks.deemed_refused_on,
                },
                "helper_post_ids": sorted(application.helper_posts.values_list("pk", flat=True)),
                "file_ids": [f.pk for f in links["files"]],
                "case_ids": [c.pk for c in links["cases"]],
                "document_ids": [d.pk for d in links["documents"]],
                "can_reply": rti_pio_post_id(who, application) is not None,
                "replies": [_reply_shape(r) for r in application.replies.order_by("at", "id")],
            }
        )


class RtiReplyView(ApiView):
    @extend_schema(
        operation_id="rti_reply",
        request=RtiReplyInput,
        responses=responses({201: RtiReplySerializer}),
        tags=["rti"],
    )
    def post(self, request, rti_id: int):
        """Reply to the application (its PIO's post only; anyone else who sees it gets 403). The
        reply's PDF and zip are then prepared in the background (``status``)."""
        application = found(rti_for, request, rti_id)
        post_id = rti_pio_post_id(viewer(request), application)
        if post_id is None:
            raise exceptions.PermissionDenied(
                _("Only the public information officer (%(post)s) may reply to this application.")
                % {"post": name_in_language(application.pio_post, "title")}
            )
        choices = reply_document_choices(viewer(request), application)
        form = ReplyForm(form_data(request), document_choices=choices)
        reply = rti_reply(
            actor=Actor.from_request(request, post_id=post_id), application=application, **checked(form)
        )
        return Response(_reply_shape(reply), status=201)
