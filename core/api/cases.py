"""The case register through the API: the list (the page's filters), registering a case, reading
it (custody, progress, reviews), a progress report and a custody move. The case is found through
``case_for`` (404 to whoever may not see it); the pages' forms check the input; the pages'
services decide who may do what, and audit."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from core.api.base import ApiView, checked, found, paged, responses, shaped, viewer
from core.api.cursors import CURSOR, Keyset
from core.api.inputs import form_data
from core.base.access import viewer_of
from core.base.audit import Actor
from core.cases.access import case_for, case_post_id
from core.cases.forms.register import CaseFilterForm, CaseRegisterForm, CustodyMoveForm, ProgressForm
from core.cases.selectors.register import (
    case_custody,
    case_list,
    case_progress,
    case_reviews,
    filter_thana_choices,
    register_thana_choices,
)
from core.cases.services import progress
from core.cases.services import register as services
from core.efile.selectors.posts import post_choices
from core.models import Case

PAGE_SIZE = 50
CASES = Keyset("cases", ("-registered_on", "thana__name", "-fir_number", "-id"))


class CaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    thana_id = serializers.IntegerField()
    year = serializers.IntegerField()
    fir_number = serializers.IntegerField()
    registered_on = serializers.DateField()
    sections = serializers.CharField()
    complainant = serializers.CharField()
    accused = serializers.CharField()
    brief_facts = serializers.CharField()
    io_post_id = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    papers_at = serializers.CharField()


class CustodySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    from_place = serializers.CharField()
    to_place = serializers.CharField()
    moved_on = serializers.DateField()
    remarks = serializers.CharField()
    by_id = serializers.IntegerField()
    by_post_id = serializers.IntegerField(allow_null=True)


class ProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reported_on = serializers.DateField()
    done = serializers.CharField()
    next_steps = serializers.CharField()
    by_id = serializers.IntegerField()
    post_id = serializers.IntegerField()


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reviewed_on = serializers.DateField()
    directions = serializers.CharField()
    due_on = serializers.DateField()
    complied_on = serializers.DateField(allow_null=True)
    compliance_note = serializers.CharField()
    overdue = serializers.BooleanField()


class CaseDetailSerializer(serializers.Serializer):
    case = CaseSerializer()
    custody = CustodySerializer(many=True)
    progress = ProgressSerializer(many=True)
    reviews = ReviewSerializer(many=True)
    can_progress = serializers.BooleanField()


class CaseRegisterInput(serializers.Serializer):
    thana = serializers.IntegerField()
    year = serializers.IntegerField()
    fir_number = serializers.IntegerField()
    registered_on = serializers.DateField()
    sections = serializers.CharField()
    io_post = serializers.IntegerField(required=False, allow_null=True)
    complainant = serializers.CharField(required=False, allow_blank=True)
    accused = serializers.CharField(required=False, allow_blank=True)
    brief_facts = serializers.CharField(required=False, allow_blank=True)


class ProgressInput(serializers.Serializer):
    reported_on = serializers.DateField()
    done = serializers.CharField()
    next_steps = serializers.CharField(required=False, allow_blank=True)


class CustodyInput(serializers.Serializer):
    to_place = serializers.CharField()
    moved_on = serializers.DateField()
    remarks = serializers.CharField(required=False, allow_blank=True)


def case_shape(case: Case) -> dict:
    return shaped(case, CaseSerializer)


def _custody_shape(move) -> dict:
    return shaped(move, CustodySerializer)


def _progress_shape(report) -> dict:
    return shaped(report, ProgressSerializer)


def _review_shape(review) -> dict:
    return shaped(review, ReviewSerializer)


def _actor(request, case: Case | None = None, rule=case_post_id) -> Actor:
    """As the pages' ``_actor``/``_acting``: the post the rule gives the viewer on the case."""
    post_id = rule(viewer_of(request), case) if case is not None else None
    return Actor.from_request(request, post_id=post_id)


_FILTERS = [
    OpenApiParameter("thana", int),
    OpenApiParameter("year", int),
    OpenApiParameter("status", str, enum=Case.Status.values),
    CURSOR,
]


class CasesView(ApiView):
    @extend_schema(
        operation_id="cases",
        parameters=_FILTERS,
        responses=responses({200: paged(CaseSerializer)}),
        tags=["cases"],
    )
    def get(self, request):
        """The cases I may see, newest first, filtered as the register's page (thana, year, status)."""
        who = viewer(request)
        filters = checked(CaseFilterForm(request.query_params, thana_choices=filter_thana_choices(who)))
        cases, following = CASES.page(
            [(case_list(who, **{key: value for key, value in filters.items() if value}), {})],
            request.query_params.get("cursor"),
            PAGE_SIZE,
            lambda case: (case.registered_on, case.thana.name, case.fir_number, case.pk),
        )
        return Response({"results": [case_shape(c) for c in cases], "next": following})

    @extend_schema(
        operation_id="case_register",
        request=CaseRegisterInput,
        responses=responses({201: CaseSerializer}),
        tags=["cases"],
    )
    def post(self, request):
        """Enter a case in the register of a thana I keep (a post there or over it)."""
        form = CaseRegisterForm(
            form_data(request),
            thana_choices=register_thana_choices(viewer(request)),
            post_choices=post_choices(),
        )
        case = services.case_register(actor=_actor(request), **checked(form))
        return Response(case_shape(case), status=201)


class CaseView(ApiView):
    @extend_schema(
        operation_id="case_read",
        responses=responses({200: CaseDetailSerializer}),
        tags=["cases"],
    )
    def get(self, request, case_id: int):
        """The case as its page shows it: particulars, custody of its papers, progress reports,
        supervisory reviews. A view in the audit trail, as the page's."""
        case = found(case_for, request, case_id)
        services.case_view_record(actor=_actor(request, case), case=case)
        return Response(
            {
                "case": case_shape(case),
                "custody": [_custody_shape(m) for m in case_custody(case)],
                "progress": [_progress_shape(r) for r in case_progress(case)],
                "reviews": [_review_shape(r) for r in case_reviews(case)],
                "can_progress": progress.progress_post_id(viewer(request), case) is not None,
            }
        )


class ProgressView(ApiView):
    @extend_schema(
        operation_id="case_progress_add",
        request=ProgressInput,
        responses=responses({201: ProgressSerializer}),
        tags=["cases"],
    )
    def post(self, request, case_id: int):
        """Add a progress report (the investigating officer or an officer of the thana)."""
        case = found(case_for, request, case_id)
        data = checked(ProgressForm(form_data(request)))
        report = progress.case_progress_add(
            actor=_actor(request, case, progress.progress_post_id), case=case, **data
        )
        return Response(_progress_shape(report), status=201)


class CustodyView(ApiView):
    @extend_schema(
        operation_id="case_custody_move",
        request=CustodyInput,
        responses=responses({201: CustodySerializer}),
        tags=["cases"],
    )
    def post(self, request, case_id: int):
        """Record that the case's papers moved (``to_place``: a place of the register's list)."""
        case = found(case_for, request, case_id)
        data = checked(CustodyMoveForm(form_data(request)))
        move = services.case_custody_move(actor=_actor(request, case), case=case, **data)
        return Response(_custody_shape(move), status=201)
