"""File pages: open a file, the file page (noting side, correspondence side, drafts), change its
particulars, notes and drafts, and an office's file register. Movement (send, return …) is in
``views/movement.py``; documents in ``views/documents.py``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.base.access import file_for, id_or_none, office_sight_post_id, viewer_of
from core.base.actors import actor_for
from core.base.form_errors import service_errors
from core.base.http import item_or_404
from core.efile.forms.files import (
    DraftApproveForm,
    DraftForm,
    DraftReturnForm,
    FileCreateForm,
    FileFieldsForm,
    NoteForm,
    RegisterForm,
)
from core.efile.selectors.files import (
    draft_editable,
    file_detail,
    file_register,
    my_posts_for_files,
    note_editable,
)
from core.efile.selectors.posts import post_choices
from core.efile.services import drafts as draft_services
from core.efile.services import files as file_services
from core.efile.services import notes as note_services
from core.efile.services import notes_once as note_once
from core.efile.services.reads import register_view_record
from core.efile.views.reader import reading_for
from core.models import Draft, EFile, Note

REGISTER_PAGE = 100


def _posted(request):
    """The submitted data on a POST (even an empty one, which must show as errors), else None."""
    return request.POST if request.method == "POST" else None


def _refused(request, form, error: ValidationError) -> None:
    """A refusal on the file page: field errors on the form (shown again with what was typed),
    anything else as a message at the top, where it shows even when the form no longer does."""
    if hasattr(error, "error_dict") and any(name in form.fields for name in error.error_dict):
        service_errors(form, error)
    else:
        messages.error(request, " ".join(error.messages))


def _record_read(request, file: EFile, *, page: str, **details) -> None:
    """A page showing the file's contents was opened: recorded on a GET (a POST records the change
    it makes, or shows back what was typed)."""
    if request.method != "POST":
        file_services.file_view_record(actor=actor_for(request, file), file=file, page=page, **details)


def _file_url(file: EFile, anchor: str = "") -> str:
    return reverse("efile_file", args=[file.pk]) + (f"#{anchor}" if anchor else "")


def _page(request, file: EFile, *, note_form=None, draft_forms=None):
    """The file page, recording the view. ``draft_forms`` holds bound forms that a refused
    approve/return brings back: {(draft id, "approve"|"return"): form}."""
    viewer = viewer_of(request)
    detail = file_detail(file=file, viewer=viewer)
    # Saved by the service worker for reading offline (static/offline/sw.js says so): recorded as a
    # view of the file all the same, marked as that save.
    page = "offline" if request.headers.get("X-Karyalay-Offline") == "save" else "file"
    file_services.file_view_record(actor=actor_for(request, file), file=file, page=page)
    draft_forms = draft_forms or {}
    for draft in detail.drafts:
        draft.approve_form = draft_forms.get((draft.pk, "approve")) or DraftApproveForm(prefix=f"d{draft.pk}")
        draft.return_form = draft_forms.get((draft.pk, "return")) or DraftReturnForm(prefix=f"d{draft.pk}")
    can_work = detail.can_act and file.status == EFile.Status.OPEN
    context = {
        "file": file,
        "viewer": viewer,
        "detail": detail,
        "can_act": detail.can_act,
        "can_work": can_work,
        # Only an open file at the viewer's post can be sent: no picker (four queries) otherwise.
        "post_choices": post_choices(exclude_post_id=file.current_post_id, viewer=viewer) if can_work else [],
        "note_form": note_form or NoteForm(),
        # The newest paper of the file or its dak, page one, in the page (core.efile.views.reader).
        "reading": reading_for(file, papers=detail.papers),
        "today": timezone.localdate(),
    }
    return render(request, "core/efile/files/detail.html", context)


@login_required
def file_create(request):
    posts = my_posts_for_files(viewer_of(request))
    form = FileCreateForm(_posted(request), posts=posts)
    if request.method == "POST" and posts and form.is_valid():
        data = form.cleaned_data
        try:
            file = file_services.file_create(actor=actor_for(request, post_id=data["post"].pk), **data)
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("File %(number)s opened.") % {"number": file.number})
            return redirect("efile_file", file.pk)
    return render(request, "core/efile/files/create.html", {"form": form, "posts": posts})


@item_or_404(file_for)
def file_page(request, file: EFile):
    return _page(request, file)


@item_or_404(file_for)
def file_edit(request, file: EFile):
    initial = {name: getattr(file, name) for name in FileFieldsForm.base_fields}
    form = FileFieldsForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            file_services.file_update(actor=actor_for(request, file), file=file, **form.cleaned_data)
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("File particulars saved."))
            return redirect("efile_file", file.pk)
    _record_read(request, file, page="edit")
    return render(request, "core/efile/files/edit.html", {"file": file, "form": form})


@item_or_404(file_for, "POST")
def note_add(request, file: EFile):
    form = NoteForm(request.POST)
    # A note typed offline comes with its browser's key (static/offline/offline.js): sent twice,
    # it is written once.
    client_key = request.POST.get("client_key", "")
    if form.is_valid():
        try:
            if client_key:
                note, added = note_once.note_add_once(
                    actor=actor_for(request, file),
                    file=file,
                    body=form.cleaned_data["body"],
                    client_key=client_key,
                )
            else:
                note, added = (
                    note_services.note_add(
                        actor=actor_for(request, file), file=file, body=form.cleaned_data["body"]
                    ),
                    True,
                )
        except ValidationError as error:
            service_errors(form, error)
        else:
            if added:
                messages.success(request, _("Note %(seq)d added.") % {"seq": note.seq})
            else:
                messages.info(
                    request, _("Note %(seq)d was added already; it was not added again.") % {"seq": note.seq}
                )
            return redirect(_file_url(file, f"note-{note.seq}"))
    # Shown again with what was typed, so a refusal loses nothing.
    return _page(request, file, note_form=form)


@item_or_404(file_for)
def note_edit(request, file: EFile, note_id):
    note = Note.objects.filter(file=file, pk=id_or_none(note_id)).first()
    if note is None:
        raise Http404
    if request.method != "POST" and not note_editable(note, file, viewer_of(request)):
        messages.error(request, _("You cannot change this note."))
        return redirect(_file_url(file, f"note-{note.seq}"))
    form = NoteForm(_posted(request), initial={"body": note.body})
    if request.method == "POST" and form.is_valid():
        try:
            note_services.note_edit(actor=actor_for(request, file), note=note, body=form.cleaned_data["body"])
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Note %(seq)d saved.") % {"seq": note.seq})
            return redirect(_file_url(file, f"note-{note.seq}"))
    _record_read(request, file, page="note_edit", note=note.seq)
    return render(request, "core/efile/files/note_edit.html", {"file": file, "note": note, "form": form})


def _draft_or_404(file: EFile, draft_id) -> Draft:
    draft = Draft.objects.filter(file=file, pk=id_or_none(draft_id)).select_related("file").first()
    if draft is None:
        raise Http404
    return draft


def _draft_form_page(request, file: EFile, form, draft: Draft | None = None):
    return render(request, "core/efile/files/draft_form.html", {"file": file, "form": form, "draft": draft})


@item_or_404(file_for)
def draft_create(request, file: EFile):
    form = DraftForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            draft = draft_services.draft_create(
                actor=actor_for(request, file), file=file, **form.cleaned_data
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Draft saved; it awaits approval."))
            return redirect(_file_url(file, f"draft-{draft.pk}"))
    _record_read(request, file, page="draft_new")
    return _draft_form_page(request, file, form)


@item_or_404(file_for)
def draft_edit(request, file: EFile, draft_id):
    draft = _draft_or_404(file, draft_id)
    if request.method != "POST" and not draft_editable(draft, file, viewer_of(request)):
        messages.error(request, _("You cannot change this draft."))
        return redirect(_file_url(file, f"draft-{draft.pk}"))
    form = DraftForm.for_draft(draft, _posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            draft_services.draft_edit(actor=actor_for(request, file), draft=draft, **form.cleaned_data)
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Draft saved."))
            return redirect(_file_url(file, f"draft-{draft.pk}"))
    _record_read(request, file, page="draft_edit", draft=draft.pk)
    return _draft_form_page(request, file, form, draft)


def _decide(request, file: EFile, draft_id, *, kind: str, form_class, service, success: str):
    draft = _draft_or_404(file, draft_id)
    form = form_class(request.POST, prefix=f"d{draft.pk}")
    if form.is_valid():
        try:
            service(actor=actor_for(request, file), draft=draft, **form.cleaned_data)
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(request, success)
            return redirect(_file_url(file, f"draft-{draft.pk}"))
    return _page(request, file, draft_forms={(draft.pk, kind): form})


@item_or_404(file_for, "POST")
def draft_approve(request, file: EFile, draft_id):
    return _decide(
        request,
        file,
        draft_id,
        kind="approve",
        form_class=DraftApproveForm,
        service=draft_services.draft_approve,
        success=_("Draft approved and entered in the outward register."),
    )


@item_or_404(file_for, "POST")
def draft_return(request, file: EFile, draft_id):
    return _decide(
        request,
        file,
        draft_id,
        kind="return",
        form_class=DraftReturnForm,
        service=draft_services.draft_return,
        success=_("Draft returned with your note."),
    )


@login_required
def register(request):
    """An office's file register for a year, printable: only the files the viewer may see."""
    viewer = viewer_of(request)
    posts = my_posts_for_files(viewer)
    default_office_id = posts[0].office_id if posts else None
    data = request.GET if "office" in request.GET else None
    form = RegisterForm(data, viewer=viewer, default_office_id=default_office_id)
    if data is None and default_office_id is not None:
        form = RegisterForm(
            {"office": default_office_id, "year": timezone.localdate().year},
            viewer=viewer,
            default_office_id=default_office_id,
        )
    page, status_label = None, ""
    if form.is_bound and form.is_valid():
        files = file_register(viewer=viewer, **form.cleaned_data)
        page = Paginator(files, REGISTER_PAGE).get_page(request.GET.get("page"))
        status_label = dict(EFile.Status.choices).get(form.cleaned_data["status"], "")
        office = form.cleaned_data["office"]
        register_view_record(
            actor=actor_for(request, post_id=office_sight_post_id(viewer, office.pk)),
            register="files",
            office=office,
            rows=len(page.object_list),
            year=form.cleaned_data["year"],
            status=form.cleaned_data["status"],
            page=page.number,
        )
    context = {"form": form, "page": page, "status_label": status_label}
    return render(request, "core/efile/files/register.html", context)
