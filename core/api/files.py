"""A file: read it (particulars, notes, track, papers), add a note, send, return, park, close.
The file is found through ``access.file_for`` (404 to whoever may not see it); the pages' forms
check the input and the pages' services decide and audit."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from core.api.base import ApiView, actor, body, checked, found, responses, viewer
from core.api.serializers import (
    CloseInput,
    FileDetailSerializer,
    FileHeadSerializer,
    FileSerializer,
    NoteInput,
    NoteSerializer,
    RemarksInput,
    SendInput,
)
from core.api.shapes import document_shape, file_shape, note_shape, receipt_shape, step_shape
from core.base import access
from core.efile.forms.files import NoteForm
from core.efile.forms.movement import FileCloseForm, FileSendForm, RemarksForm
from core.efile.selectors.files import file_detail, head_choices, my_posts_for_files
from core.efile.selectors.posts import post_choices
from core.efile.selectors.track import item_track
from core.efile.services import movement
from core.efile.services import notes as note_services
from core.efile.services.files import file_view_record
from core.models import Post


class FileView(ApiView):
    @extend_schema(operation_id="file_read", responses=responses({200: FileDetailSerializer}), tags=["files"])
    def get(self, request, file_id: int):
        """The file as its page shows it: particulars, notes, track, documents and dak in it. A
        view in the audit trail, as the page's."""
        file = found(access.file_for, request, file_id)
        detail = file_detail(file=file, viewer=viewer(request))
        file_view_record(actor=actor(request, file), file=file)
        entries = detail.correspondence
        return Response(
            {
                "file": file_shape(file),
                "can_act": detail.can_act,
                "notes": [note_shape(n) for n in detail.notes],
                "track": [step_shape(step.movement) for step in item_track(file).steps],
                "documents": [document_shape(d) for d in detail.documents],
                "receipts": [receipt_shape(e.item) for e in entries if e.kind == "receipt"],
            }
        )


class NoteAddView(ApiView):
    @extend_schema(
        operation_id="file_note_add",
        request=NoteInput,
        responses=responses({201: NoteSerializer}),
        tags=["files"],
    )
    def post(self, request, file_id: int):
        """Add the next note (holders of the file's post, open files only)."""
        file = found(access.file_for, request, file_id)
        data = checked(NoteForm(body(request)))
        note = note_services.note_add(actor=actor(request, file), file=file, body=data["body"])
        return Response(note_shape(note), status=201)


class SendView(ApiView):
    @extend_schema(
        operation_id="file_send",
        request=SendInput,
        responses=responses({200: FileSerializer}),
        tags=["files"],
    )
    def post(self, request, file_id: int):
        """Send the file to a post, with remarks and a due date (as the page's send form)."""
        file = found(access.file_for, request, file_id)
        choices = post_choices(exclude_post_id=file.current_post_id, viewer=viewer(request))
        data = checked(FileSendForm(body(request), post_choices=choices))
        post = Post.objects.select_related("office").get(pk=data["to_post"])
        file = movement.file_send(
            actor=actor(request, file),
            file=file,
            to_post=post,
            remarks=data["remarks"],
            due_on=data["due_on"],
        )
        return Response(file_shape(file))


def _step(name: str, form_class, service, doc: str):
    class StepView(ApiView):
        @extend_schema(
            operation_id=f"file_{name}",
            request=CloseInput if form_class is FileCloseForm else RemarksInput,
            responses=responses({200: FileSerializer}),
            tags=["files"],
            description=doc,
        )
        def post(self, request, file_id: int):
            file = found(access.file_for, request, file_id)
            data = checked(form_class(body(request)))
            return Response(file_shape(service(actor=actor(request, file), file=file, **data)))

    StepView.__name__ = f"File{name.title()}View"
    return StepView


ReturnView = _step("return", RemarksForm, movement.file_return, "Return the file down its chain.")
ParkView = _step("park", RemarksForm, movement.file_park, "Park the file at my post.")
CloseView = _step("close", FileCloseForm, movement.file_close, "Close the file with a closing remark.")


class FileHeadsView(ApiView):
    @extend_schema(
        operation_id="file_heads", responses=responses({200: FileHeadSerializer(many=True)}), tags=["files"]
    )
    def get(self, request):
        """The file heads I may open a file under (the "new file" form's choices)."""
        heads = head_choices(my_posts_for_files(viewer(request)))
        return Response([{"id": pk, "label": label} for pk, label in heads])
