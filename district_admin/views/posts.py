"""Posts of an office and their postings: create and edit posts, close one, start and end a
posting or an additional charge, transfer within the district, postings of a person."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.base.form_errors import service_errors
from core.models import Office, Post, Posting
from core.org import services
from core.org.selectors.postings import person_by_login, posting_list
from district_admin.forms.posts import (
    PostCreateForm,
    PostEditForm,
    PostingEndForm,
    PostingStartForm,
    PostingTransferForm,
)
from district_admin.views.common import actor_of, admin_required


def _form_page(request, form, *, title: str, post: Post | None = None, office: Office | None = None):
    return render(
        request,
        "district_admin/offices/post_form.html",
        {"form": form, "title": title, "post": post, "office": office or (post and post.office)},
    )


@admin_required
def post_create(request, office_id: int):
    office = get_object_or_404(Office, pk=office_id)
    form = PostCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(actor=actor_of(request), office=office, **form.cleaned_data)
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Post %(post)s created.") % {"post": post.title})
            return redirect("district_admin:post", post.pk)
    return _form_page(request, form, title=_("New post"), office=office)


@admin_required
def post_detail(request, post_id: int):
    post = get_object_or_404(Post.objects.select_related("office"), pk=post_id)
    return render(
        request,
        "district_admin/offices/post.html",
        {
            "post": post,
            "closed": post.closed_on is not None,
            "postings": posting_list(post=post),
            "start_form": PostingStartForm(),
        },
    )


@admin_required
def post_edit(request, post_id: int):
    post = get_object_or_404(Post.objects.select_related("office"), pk=post_id)
    form = PostEditForm(request.POST or None, initial={"title": post.title, "title_hi": post.title_hi})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_update(actor=actor_of(request), post=post, **form.cleaned_data)
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Post saved."))
            return redirect("district_admin:post", post.pk)
    return _form_page(request, form, title=_("Edit post"), post=post)


@admin_required
@require_POST
def post_close(request, post_id: int):
    post = get_object_or_404(Post, pk=post_id)
    try:
        services.post_close(actor=actor_of(request), post=post)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Post %(post)s closed.") % {"post": post.title})
    return redirect("district_admin:post", post.pk)


@admin_required
def posting_start(request, post_id: int):
    post = get_object_or_404(Post.objects.select_related("office"), pk=post_id)
    form = PostingStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.posting_start(
                actor=actor_of(request),
                person=form.person,
                post=post,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                additional_charge=data["additional_charge"],
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Posting recorded."))
            return redirect("district_admin:post", post.pk)
    return _form_page(request, form, title=_("Post someone here"), post=post)


@admin_required
def posting_end(request, posting_id: int):
    posting = get_object_or_404(Posting.objects.select_related("post__office", "person"), pk=posting_id)
    form = PostingEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.posting_end(
                actor=actor_of(request), posting=posting, ends_on=form.cleaned_data["ends_on"]
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Posting ended."))
            return redirect("district_admin:post", posting.post_id)
    title = _("End the posting of %(person)s") % {"person": posting.person.login_id}
    return _form_page(request, form, title=title, post=posting.post)


@admin_required
def posting_transfer(request, posting_id: int):
    posting = get_object_or_404(Posting.objects.select_related("post__office", "person"), pk=posting_id)
    form = PostingTransferForm(request.POST or None, exclude_post=posting.post)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.posting_transfer(actor=actor_of(request), posting=posting, **form.cleaned_data)
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Transferred to %(post)s.") % {"post": new.post.title})
            return redirect("district_admin:person_postings", posting.person.login_id)
    title = _("Transfer %(person)s") % {"person": posting.person.login_id}
    return _form_page(request, form, title=title, post=posting.post)


@admin_required
def person_postings(request, login_id: str):
    person = person_by_login(login_id)
    postings = posting_list(person_id=person.pk) if person else None
    if postings is None or not postings.exists():
        raise Http404
    return render(request, "district_admin/offices/person.html", {"person": person, "postings": postings})
