"""Dak pages: diarise a letter (and mark it on), a receipt's page and its actions (take in, mark
to a post, put in a file, close), and the manual outward entry of letters that did not go through
e-File. (The registers: ``dak_registers``.)"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.base.access import receipt_for, viewer_of
from core.base.actors import actor_for
from core.base.form_errors import service_errors
from core.base.http import item_or_404
from core.efile.forms.dak import AttachForm, CloseForm, DiariseForm, DispatchForm, MarkForm
from core.efile.forms.files import FileCreateForm
from core.efile.selectors.dak import desk_posts, files_at_posts, receipt_track
from core.efile.selectors.posts import post_choices
from core.efile.services.dak_files import receipt_file_open
from core.efile.services.dispatch import dispatch_record
from core.efile.services.receipts import (
    receipt_attach,
    receipt_close,
    receipt_diarise,
    receipt_receive,
    receipt_send,
    receipt_view_record,
)
from core.models import EFile, Post, Receipt
from core.templatetags.karyalay import bilingual

# A POST-only action on a receipt: 404 first to whoever may not see it, then 405 to a GET.
receipt_action = item_or_404(receipt_for, "POST")


def refusal(error: ValidationError) -> str:
    """A service's refusal as one line for a message."""
    return " ".join(error.messages)


@login_required
def diarise(request):
    viewer = viewer_of(request)
    posts = desk_posts(viewer)
    if not posts:
        return render(request, "core/efile/dak/no_post.html", status=403)
    # With one post, marking to it makes no sense: leave it out of the picker.
    exclude = posts[0].pk if len(posts) == 1 else None
    form = DiariseForm(
        request.POST if request.method == "POST" else None,
        posts=posts,
        post_choices=post_choices(exclude_post_id=exclude, viewer=viewer),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        post = next(post for post in posts if post.pk == data["post"])
        fields = (
            "mode",
            "sender",
            "subject",
            "received_on",
            "sender_address",
            "letter_date",
            "letter_reference",
        )
        try:
            receipt = receipt_diarise(
                actor=actor_for(request, post_id=post.pk), post=post, **{name: data[name] for name in fields}
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Diarised as %(number)s.") % {"number": receipt.diary_number})
            if data["to_post"]:
                # The receipt is committed already: a refused mark is shown on its page, not lost.
                _mark(request, receipt, data)
            return redirect("efile_receipt", receipt_id=receipt.pk)
    return render(request, "core/efile/dak/diarise.html", {"form": form})


def _mark(request, receipt: Receipt, data: dict) -> bool:
    to_post = Post.objects.filter(pk=data["to_post"]).first()
    try:
        if to_post is None:
            raise ValidationError(_("Choose one of the listed posts."))
        receipt_send(
            actor=actor_for(request, receipt),
            receipt=receipt,
            to_post=to_post,
            remarks=data["remarks"],
            due_on=data["due_on"],
        )
    except ValidationError as error:
        messages.error(request, _("Not marked: %(reason)s") % {"reason": refusal(error)})
        return False
    messages.success(request, _("Marked to %(post)s.") % {"post": bilingual(to_post, "title")})
    return True


def _page(request, receipt: Receipt, *, status: int = 200, **forms):
    """The receipt's page (each showing is a view in the audit trail, refused actions included)."""
    viewer = viewer_of(request)
    receipt_view_record(actor=actor_for(request, receipt), receipt=receipt)
    holds = viewer.holds(receipt.current_post_id)
    can_act = holds and receipt.status == Receipt.Status.OPEN
    context = {
        "receipt": receipt,
        "track": receipt_track(receipt),
        "viewer": viewer,
        # A holder may still add scanned papers to filed dak, not to closed dak (documents._owner_held).
        "can_upload": holds and receipt.status != Receipt.Status.CLOSED,
        "can_act": can_act,
    }
    if can_act:
        context["mark_form"] = forms.get("mark_form") or MarkForm(
            post_choices=post_choices(exclude_post_id=receipt.current_post_id, viewer=viewer)
        )
        context["attach_form"] = forms.get("attach_form") or AttachForm(files=files_at_posts(viewer))
        context["file_open_form"] = forms.get("file_open_form") or _file_open_form(None, receipt)
        context["close_form"] = forms.get("close_form") or CloseForm()
    else:
        # The forms are not shown to someone who no longer holds the dak: say why above the page.
        for form in forms.values():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    return render(request, "core/efile/dak/receipt.html", context, status=status)


@item_or_404(receipt_for)
def receipt(request, receipt):
    return _page(request, receipt)


@receipt_action
def receive(request, receipt):
    try:
        receipt_receive(actor=actor_for(request, receipt), receipt=receipt)
    except ValidationError as error:
        messages.error(request, refusal(error))
    return redirect("efile_receipt", receipt_id=receipt.pk)


@receipt_action
def mark(request, receipt):
    choices = post_choices(exclude_post_id=receipt.current_post_id, viewer=viewer_of(request))
    form = MarkForm(request.POST, post_choices=choices)
    if form.is_valid() and _mark(request, receipt, form.cleaned_data):
        return redirect("efile_receipt", receipt_id=receipt.pk)
    return _page(request, receipt, status=400, mark_form=form)


@receipt_action
def attach(request, receipt):
    form = AttachForm(request.POST, files=files_at_posts(viewer_of(request)))
    if form.is_valid():
        file = EFile.objects.get(pk=form.cleaned_data["file"])
        try:
            receipt_attach(actor=actor_for(request, receipt), receipt=receipt, file=file)
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Put in file %(number)s.") % {"number": file.number})
            return redirect("efile_receipt", receipt_id=receipt.pk)
    return _page(request, receipt, status=400, attach_form=form)


def _file_open_form(data, receipt: Receipt) -> FileCreateForm:
    """The form to open a new file from the letter: at the dak's post, its subject to start with."""
    post = Post.objects.select_related("office").get(pk=receipt.current_post_id)
    return FileCreateForm(data, posts=[post], initial={"subject": receipt.subject}, prefix="newfile")


@receipt_action
def file_open(request, receipt):
    form = _file_open_form(request.POST, receipt)
    if form.is_valid():
        data = form.cleaned_data
        fields = ("head", "subject", "category", "priority", "confidentiality")
        try:
            file = receipt_file_open(
                actor=actor_for(request, receipt), receipt=receipt, **{name: data[name] for name in fields}
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(
                request,
                _("File %(number)s opened with dak %(diary)s in it.")
                % {"number": file.number, "diary": receipt.diary_number},
            )
            return redirect("efile_file", file.pk)
    return _page(request, receipt, status=400, file_open_form=form)


@receipt_action
def close(request, receipt):
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            receipt_close(
                actor=actor_for(request, receipt), receipt=receipt, remark=form.cleaned_data["remark"]
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Dak closed."))
            return redirect("efile_receipt", receipt_id=receipt.pk)
    return _page(request, receipt, status=400, close_form=form)


@login_required
def dispatch_new(request):
    viewer = viewer_of(request)
    posts = desk_posts(viewer)
    if not posts:
        return render(request, "core/efile/dak/no_post.html", status=403)
    # No file here: letters from a file go out only by approving their draft (draft_approve).
    form = DispatchForm(request.POST if request.method == "POST" else None, posts=posts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        post = next(post for post in posts if post.pk == data["post"])
        fields = ("addressee", "subject", "mode", "addressee_address", "dispatched_on")
        try:
            dispatch = dispatch_record(
                actor=actor_for(request, post_id=post.pk),
                post=post,
                **{name: data[name] for name in fields},
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Entered as %(number)s.") % {"number": dispatch.number})
            query = f"office={dispatch.office_id}&date_from={dispatch.dispatched_on.isoformat()}"
            return redirect(f"{reverse('efile_outward_register')}?{query}")
    return render(request, "core/efile/dak/dispatch_form.html", {"form": form})
