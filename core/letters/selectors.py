"""Reads of letters between districts, filtered by who may see them.

The sender's side: letters whose outward dak the viewer may see (``dispatch_visible_q``). The
receiver's side: letters addressed to an office where the viewer holds a post (its dak clerk, its
head). Nothing here reads another district: the status of a sent letter is what came back.
"""

from __future__ import annotations

from django.db.models import QuerySet

from core.base.access import Viewer, dispatch_visible_q
from core.models import Circular, Dispatch, IncomingLetter, OutgoingLetter, Post


def viewer_posts_in(viewer: Viewer, office_id: int) -> list[Post]:
    """The viewer's posts in an office (the posts they may act as there)."""
    return list(Post.objects.filter(pk__in=viewer.post_ids, office_id=office_id).order_by("pk"))


def _office_ids(viewer: Viewer) -> list[int]:
    return list(Post.objects.filter(pk__in=viewer.post_ids).values_list("office_id", flat=True))


def outgoing_list(viewer: Viewer) -> QuerySet[OutgoingLetter]:
    visible = Dispatch.objects.filter(dispatch_visible_q(viewer)).values("pk")
    return OutgoingLetter.objects.filter(dispatch__in=visible).select_related("dispatch")


def outgoing_for(viewer: Viewer, letter_id: int) -> OutgoingLetter | None:
    return outgoing_list(viewer).filter(pk=letter_id).first()


def sendable_list(viewer: Viewer) -> QuerySet[Dispatch]:
    """Outward dak of the viewer's offices, visible to them, not yet sent through Karyalay."""
    return (
        Dispatch.objects.filter(dispatch_visible_q(viewer), office_id__in=_office_ids(viewer))
        .filter(outgoing_letters__isnull=True)
        .select_related("office")
        .order_by("-dispatched_on", "-serial")
    )


def sendable_for(viewer: Viewer, dispatch_id: int) -> Dispatch | None:
    return sendable_list(viewer).filter(pk=dispatch_id).first()


def signable_for(viewer: Viewer, dispatch_id: int) -> Dispatch | None:
    """Outward dak the viewer may see, of one of their offices (whether they may sign it is the
    signing service's to decide, with a reason)."""
    return (
        Dispatch.objects.filter(dispatch_visible_q(viewer), office_id__in=_office_ids(viewer), pk=dispatch_id)
        .select_related("office")
        .first()
    )


def incoming_list(viewer: Viewer) -> QuerySet[IncomingLetter]:
    return IncomingLetter.objects.filter(office_id__in=_office_ids(viewer)).select_related(
        "office", "receipt"
    )


def incoming_for(viewer: Viewer, letter_id: int) -> IncomingLetter | None:
    return incoming_list(viewer).filter(pk=letter_id).first()


def circular_list(viewer: Viewer) -> QuerySet[Circular]:
    """Circulars whose outward dak the viewer may see."""
    visible = Dispatch.objects.filter(dispatch_visible_q(viewer)).values("pk")
    return Circular.objects.filter(dispatch__in=visible).select_related("dispatch")


def circular_for(viewer: Viewer, circular_id: int) -> Circular | None:
    return circular_list(viewer).filter(pk=circular_id).first()


def replyable_list(viewer: Viewer) -> QuerySet[IncomingLetter]:
    """Letters received at the viewer's offices that a letter of theirs may answer."""
    return incoming_list(viewer).order_by("-delivered_at", "-id")
