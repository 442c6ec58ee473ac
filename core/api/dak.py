"""Dak: diarise a letter (and mark it on), read a receipt, put it in a file. The pages' forms
check the input (a post or file that is not offered to the caller is an invalid choice), the
pages' services decide and audit."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from core.api.base import ApiView, actor, body, checked, found, responses, viewer
from core.api.serializers import AttachInput, DiariseInput, FileOpenInput, FileSerializer, ReceiptSerializer
from core.api.shapes import file_shape, receipt_shape
from core.base import access
from core.efile.forms.dak import AttachForm, DiariseForm
from core.efile.forms.files import FileCreateForm
from core.efile.selectors.dak import desk_posts, files_at_posts
from core.efile.selectors.posts import post_choices
from core.efile.services.dak_files import receipt_file_open
from core.efile.services.receipts import receipt_attach, receipt_diarise, receipt_send, receipt_view_record
from core.models import EFile, Post

_FIELDS = ("mode", "sender", "subject", "received_on", "sender_address", "letter_date", "letter_reference")


class DiariseView(ApiView):
    @extend_schema(
        operation_id="dak_diarise",
        request=DiariseInput,
        responses=responses({201: ReceiptSerializer}),
        tags=["dak"],
    )
    def post(self, request):
        """Diarise a letter at one of my posts, and mark it to a post if ``to_post`` is given. Both
        or neither: a refused mark leaves no receipt behind."""
        who = viewer(request)
        posts = desk_posts(who)
        if not posts:
            raise exceptions.PermissionDenied(_("You hold no post that diarises dak."))
        exclude = posts[0].pk if len(posts) == 1 else None
        form = DiariseForm(
            body(request), posts=posts, post_choices=post_choices(exclude_post_id=exclude, viewer=who)
        )
        data = checked(form)
        post = next(p for p in posts if p.pk == data["post"])
        with transaction.atomic():
            receipt = receipt_diarise(
                actor=actor(request, post_id=post.pk), post=post, **{name: data[name] for name in _FIELDS}
            )
            if data.get("to_post"):
                receipt = receipt_send(
                    actor=actor(request, receipt),
                    receipt=receipt,
                    to_post=Post.objects.get(pk=data["to_post"]),
                    remarks=data["remarks"],
                    due_on=data["due_on"],
                )
        return Response(receipt_shape(receipt), status=201)


class ReceiptView(ApiView):
    @extend_schema(operation_id="dak_read", responses=responses({200: ReceiptSerializer}), tags=["dak"])
    def get(self, request, receipt_id: int):
        """A receipt (a view in the audit trail, as its page)."""
        receipt = found(access.receipt_for, request, receipt_id)
        receipt_view_record(actor=actor(request, receipt), receipt=receipt)
        return Response(receipt_shape(receipt))


class AttachView(ApiView):
    @extend_schema(
        operation_id="dak_attach",
        request=AttachInput,
        responses=responses({200: ReceiptSerializer}),
        tags=["dak"],
    )
    def post(self, request, receipt_id: int):
        """Put the receipt in one of the files at my posts."""
        receipt = found(access.receipt_for, request, receipt_id)
        data = checked(AttachForm(body(request), files=files_at_posts(viewer(request))))
        file = EFile.objects.get(pk=data["file"])
        receipt = receipt_attach(actor=actor(request, receipt), receipt=receipt, file=file)
        return Response(receipt_shape(receipt))


class FileOpenView(ApiView):
    @extend_schema(
        operation_id="dak_file_open",
        request=FileOpenInput,
        responses=responses({201: FileSerializer}),
        tags=["dak"],
    )
    def post(self, request, receipt_id: int):
        """Open a new file at the post the dak lies at and put the dak in it (both or neither), as
        the receipt page's "new file" form. ``head``: one of ``GET /file-heads/``."""
        receipt = found(access.receipt_for, request, receipt_id)
        post = Post.objects.select_related("office").get(pk=receipt.current_post_id)
        defaults = {
            "subject": receipt.subject,
            "priority": EFile.Priority.NORMAL,
            "confidentiality": EFile.Confidentiality.NORMAL,
        }
        fields = {**defaults, **dict(body(request).items()), "post": str(post.pk)}
        data = checked(FileCreateForm(fields, posts=[post]))
        names = ("head", "subject", "category", "priority", "confidentiality")
        file = receipt_file_open(
            actor=actor(request, receipt), receipt=receipt, **{n: data[n] for n in names}
        )
        return Response(file_shape(file), status=201)
