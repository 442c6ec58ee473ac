"""The district admin's API: offices (the tree, one office with its posts, a new office), posts
(a new post, its postings), postings (start, end), officers (the search of the officers' page)
and readiness (the go-live overview). District admins of this district only: anyone else gets
404, as the pages answer. The pages' forms check the input, ``core.org``'s services decide and
write the district's audit trail."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from core.api.base import ApiView, checked, paged, responses, shaped
from core.api.cursors import CURSOR, Keyset
from core.api.inputs import form_data
from core.base.audit import Actor
from core.models import Office, Post, Posting
from core.org import services
from core.org.selectors.officers import officer_people, officer_rows
from core.org.selectors.offices import office_tree
from core.org.selectors.postings import post_list, posting_list
from core.org.selectors.readiness import readiness_overview
from core.org.selectors.request_access import request_is_district_admin
from district_admin.forms.officers import search_query
from district_admin.forms.offices import OfficeCreateForm
from district_admin.forms.posts import PostCreateForm, PostingEndForm, PostingStartForm

PAGE_SIZE = 50
OFFICERS = Keyset("officers", ("full_name", "login_id"))
POSTINGS = Keyset("postings", ("-starts_on", "-id"))


class AdminView(ApiView):
    """A district admin's operation: 404 to anyone else (the pages' ``admin_required``)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not request_is_district_admin(request):
            raise Http404


def _actor(request) -> Actor:
    return Actor.from_request(request)


# --- Shapes -------------------------------------------------------------------------------------


class OfficeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    name_hi = serializers.CharField()
    abbr = serializers.CharField()
    kind = serializers.CharField()
    parent_id = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    phase = serializers.IntegerField()
    go_live_target = serializers.DateField(allow_null=True)


class OfficeTreeRowSerializer(OfficeSerializer):
    depth = serializers.IntegerField()


class PostingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person_id = serializers.IntegerField()
    login_id = serializers.CharField()
    full_name = serializers.CharField()
    post_id = serializers.IntegerField()
    office_id = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    additional_charge = serializers.BooleanField()


class AdminPostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    title_hi = serializers.CharField()
    kind = serializers.CharField()
    office_id = serializers.IntegerField()
    closed = serializers.BooleanField()
    holders = PostingSerializer(many=True)


class OfficeDetailSerializer(serializers.Serializer):
    office = OfficeSerializer()
    posts = AdminPostSerializer(many=True)
    children = serializers.ListField(child=serializers.IntegerField())


class OfficerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    login_id = serializers.CharField()
    full_name = serializers.CharField()
    full_name_hi = serializers.CharField()
    service_number = serializers.CharField()
    blocked = serializers.BooleanField()
    current = PostingSerializer(many=True)
    past = PostingSerializer(many=True)


class ReadinessSerializer(serializers.Serializer):
    office = OfficeSerializer()
    done = serializers.DictField(child=serializers.BooleanField())
    gaps = serializers.ListField(child=serializers.CharField())
    gap_labels = serializers.ListField(child=serializers.CharField())
    postings = serializers.IntegerField()
    trained = serializers.IntegerField()


class OfficeInput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_hi = serializers.CharField(required=False, allow_blank=True)
    abbr = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.CharField()
    parent = serializers.IntegerField(required=False, allow_null=True)
    address = serializers.CharField(required=False, allow_blank=True)
    phase = serializers.IntegerField()
    status = serializers.CharField()
    go_live_target = serializers.DateField(required=False, allow_null=True)


class PostInput(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    title_hi = serializers.CharField(required=False, allow_blank=True)


class PostingStartInput(serializers.Serializer):
    login_id = serializers.CharField()
    service_number = serializers.CharField(required=False, allow_blank=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    additional_charge = serializers.BooleanField(required=False)


class PostingEndInput(serializers.Serializer):
    ends_on = serializers.DateField()


def office_shape(office: Office) -> dict:
    return shaped(office, OfficeSerializer)


def posting_shape(posting: Posting) -> dict:
    return shaped(
        posting,
        PostingSerializer,
        login_id=posting.person.login_id,
        full_name=posting.person.full_name,
        office_id=posting.post.office_id,
    )


def _post_shape(post: Post) -> dict:
    return shaped(
        post,
        AdminPostSerializer,
        closed=post.closed_on is not None,
        holders=[posting_shape(p) for p in getattr(post, "holders", [])],
    )


# --- Offices and posts --------------------------------------------------------------------------


class OfficesView(AdminView):
    @extend_schema(
        operation_id="admin_offices",
        responses=responses({200: OfficeTreeRowSerializer(many=True)}),
        tags=["district admin"],
    )
    def get(self, request):
        """Every office of the district as the offices page's tree: each after its parent."""
        return Response([{**office_shape(row.office), "depth": row.depth} for row in office_tree()])

    @extend_schema(
        operation_id="admin_office_create",
        request=OfficeInput,
        responses=responses({201: OfficeSerializer}),
        tags=["district admin"],
    )
    def post(self, request):
        """A new office (``parent``: one of the offices)."""
        office = services.office_create(
            actor=_actor(request), **checked(OfficeCreateForm(form_data(request)))
        )
        return Response(office_shape(office), status=201)


class OfficeView(AdminView):
    @extend_schema(
        operation_id="admin_office_read",
        responses=responses({200: OfficeDetailSerializer}),
        tags=["district admin"],
    )
    def get(self, request, office_id: int):
        """An office with its posts and who holds them today, and its child offices."""
        office = get_object_or_404(Office, pk=office_id)
        children = list(office.children.order_by("name", "id").values_list("pk", flat=True))
        posts = [_post_shape(post) for post in post_list(office=office)]
        return Response({"office": office_shape(office), "posts": posts, "children": children})


class PostCreateView(AdminView):
    @extend_schema(
        operation_id="admin_post_create",
        request=PostInput,
        responses=responses({201: AdminPostSerializer}),
        tags=["district admin"],
    )
    def post(self, request, office_id: int):
        """A new post in the office."""
        office = get_object_or_404(Office, pk=office_id)
        data = checked(PostCreateForm(form_data(request)))
        post = services.post_create(actor=_actor(request), office=office, **data)
        return Response(_post_shape(post), status=201)


class PostingsView(AdminView):
    @extend_schema(
        operation_id="admin_postings",
        parameters=[CURSOR],
        responses=responses({200: paged(PostingSerializer)}),
        tags=["district admin"],
    )
    def get(self, request, post_id: int):
        """The post's postings, latest first (past ones too)."""
        post = get_object_or_404(Post, pk=post_id)
        postings, following = POSTINGS.page(
            [(posting_list(post=post), {})],
            request.query_params.get("cursor"),
            PAGE_SIZE,
            lambda p: (p.starts_on, p.pk),
        )
        return Response({"results": [posting_shape(p) for p in postings], "next": following})

    @extend_schema(
        operation_id="admin_posting_start",
        request=PostingStartInput,
        responses=responses({201: PostingSerializer}),
        tags=["district admin"],
    )
    def post(self, request, post_id: int):
        """Post someone here by login ID (with their service number if never posted here before)."""
        post = get_object_or_404(Post.objects.select_related("office"), pk=post_id)
        form = PostingStartForm(form_data(request))
        data = checked(form)
        posting = services.posting_start(
            actor=_actor(request),
            person=form.person,
            post=post,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            additional_charge=data["additional_charge"],
        )
        return Response(posting_shape(posting), status=201)


class PostingEndView(AdminView):
    @extend_schema(
        operation_id="admin_posting_end",
        request=PostingEndInput,
        responses=responses({200: PostingSerializer}),
        tags=["district admin"],
    )
    def post(self, request, posting_id: int):
        """End a posting on ``ends_on``."""
        posting = get_object_or_404(Posting.objects.select_related("post__office", "person"), pk=posting_id)
        data = checked(PostingEndForm(form_data(request)))
        posting = services.posting_end(actor=_actor(request), posting=posting, ends_on=data["ends_on"])
        return Response(posting_shape(posting))


# --- Officers and readiness ---------------------------------------------------------------------


class OfficersView(AdminView):
    @extend_schema(
        operation_id="admin_officers",
        parameters=[OpenApiParameter("q", str, description="Names, login ID or service number."), CURSOR],
        responses=responses({200: paged(OfficerSerializer)}),
        tags=["district admin"],
    )
    def get(self, request):
        """People who hold or held a posting here, by name, with their postings and any block."""
        people, following = OFFICERS.page(
            [(officer_people(query=search_query(request.query_params)), {})],
            request.query_params.get("cursor"),
            PAGE_SIZE,
            lambda person: (person.full_name, person.login_id),
        )
        rows = [
            {
                "id": row.person.pk,
                "login_id": row.person.login_id,
                "full_name": row.person.full_name,
                "full_name_hi": row.person.full_name_hi,
                "service_number": row.person.service_number,
                "blocked": row.block is not None,
                "current": [posting_shape(p) for p in row.current],
                "past": [posting_shape(p) for p in row.past],
            }
            for row in officer_rows(people)
        ]
        return Response({"results": rows, "next": following})


class ReadinessView(AdminView):
    @extend_schema(
        operation_id="admin_readiness",
        responses=responses({200: ReadinessSerializer(many=True)}),
        tags=["district admin"],
    )
    def get(self, request):
        """Every office not yet live with its go-live checklist: done items, gaps, training."""
        return Response(
            [
                {
                    "office": office_shape(row["office"]),
                    "done": row["done"],
                    "gaps": list(row["gaps"]),
                    "gap_labels": [str(label) for label in row["gap_labels"]],
                    "postings": row["coverage"].postings,
                    "trained": row["coverage"].trained,
                }
                for row in readiness_overview()
            ]
        )
