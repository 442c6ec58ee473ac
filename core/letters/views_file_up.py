"""Pages of a file sent up for supervision: sending it (the district's side) and its papers (the
range's or headquarters' side; the snapshot itself shows on the received letter's page)."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.base.access import file_for, sight_post_id, viewer_of
from core.base.actors import actor_for
from core.base.http import item_or_404
from core.base.serving import content_disposition, protect
from core.letters import selectors
from core.letters.file_up import file_send_up, file_snapshot_read, send_up_choices
from core.letters.files import StoredFileDamaged, stored_bytes
from core.letters.views import _errors
from core.models import Post
from tenants.models import District


@item_or_404(file_for)
def file_send_up_view(request, file):
    """Send a file the viewer may see up to the range office or headquarters over the district."""
    viewer = viewer_of(request)
    post_id = sight_post_id(viewer, file)
    if post_id is None or not viewer.holds(post_id):
        raise Http404
    post = Post.objects.select_related("office").get(pk=post_id)
    choices = send_up_choices(here=District.objects.get(schema_name=request.tenant.schema_name))
    errors: list[str] = []
    if request.method == "POST":
        try:
            to_office_id = int(request.POST.get("to_office", ""))
        except ValueError:
            errors = [_("Choose an office from the list.")]
        else:
            try:
                letter = file_send_up(
                    actor=actor_for(request, post_id=post.pk),
                    post=post,
                    file=file,
                    to_office_id=to_office_id,
                    remarks=request.POST.get("remarks", "")[:2000],
                )
            except ValidationError as error:
                errors = _errors(error)
            else:
                messages.success(
                    request,
                    _("File %(number)s sent up to %(office)s.")
                    % {"number": file.number, "office": letter.to_office_name},
                )
                return redirect("letters_outgoing", letter.pk)
    return render(
        request,
        "core/letters/send_up.html",
        {"file": file, "post": post, "choices": choices, "errors": errors},
        status=400 if errors else 200,
    )


@item_or_404(selectors.incoming_for, method="GET")
def incoming_paper_view(request, letter, index: int):
    """One paper of a received letter (a file sent up: its snapshot PDF and its documents), from
    this tenant's own copy, checked against its SHA-256; the reading is audited."""
    if not 0 <= index < len(letter.documents):
        raise Http404
    doc = letter.documents[index]
    try:
        data = stored_bytes(doc["stored_name"], doc["sha256"])
    except StoredFileDamaged as error:
        raise Http404 from error
    posts = selectors.viewer_posts_in(viewer_of(request), letter.office_id)
    file_snapshot_read(
        actor=actor_for(request, post_id=posts[0].pk), post=posts[0], incoming=letter, paper=doc["name"]
    )
    content_type = mimetypes.guess_type(doc["name"])[0] or "application/octet-stream"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(True, doc["name"])
    return protect(response)
