"""The SP's and SDPO's view of the files pending in their offices, by age, and the list behind
each count. Anyone else signed in gets 404 (never a count); visitors are sent to sign in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from core.base.access import id_or_none, viewer_of
from core.efile.selectors.pending import (
    BUCKET_BY_KEY,
    BUCKETS,
    pending_allowed,
    pending_files_page,
    pending_post_for,
    pending_summary,
)
from core.efile.views.tray_cache import pending_table_html


@login_required
def pending(request):
    viewer = viewer_of(request)
    if not pending_allowed(viewer):
        raise Http404
    offices = pending_summary(viewer)
    rows_html = pending_table_html(
        person_id=request.user.pk,
        offices=offices,
        buckets=BUCKETS,
        template="core/efile/inbox/_pending_rows.html",
    )
    return render(
        request,
        "core/efile/inbox/pending.html",
        {"tray": "pending", "offices": offices, "buckets": BUCKETS, "rows_html": rows_html},
    )


@login_required
def pending_files(request, post_id: int):
    """The files a count stands for: ``?age=`` one of the buckets' keys, or none for all of them."""
    viewer = viewer_of(request)
    post = pending_post_for(viewer, id_or_none(post_id))
    age = request.GET.get("age") or None
    if post is None or (age is not None and age not in BUCKET_BY_KEY):
        raise Http404
    bucket = BUCKET_BY_KEY.get(age)
    page = pending_files_page(viewer, post=post, bucket=bucket, number=request.GET.get("page"))
    return render(
        request,
        "core/efile/inbox/pending_files.html",
        {"tray": "pending", "post": post, "bucket": bucket, "page": page},
    )
