"""Who acts as which post, for every area: the audit actor of a request or a service, and the
refusals in the user's language when the person does not hold the post, or the post or office
is closed (posts and offices named in it too)."""

from __future__ import annotations

import dataclasses

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.base.access import Viewer, sight_post_id, viewer_for, viewer_of
from core.base.audit import Actor
from core.base.names import name_in_language
from core.models import EFile, Office, Post, Receipt


def actor_viewer(actor: Actor) -> Viewer:
    return viewer_for(actor.person)


def as_post(actor: Actor, post: Post | int) -> Actor:
    """The audit actor acting as ``post`` (recorded on every event)."""
    return dataclasses.replace(actor, post_id=post.pk if isinstance(post, Post) else post)


def actor_for(request, item=None, *, post_id: int | None = None) -> Actor:
    """The audit actor for this request, acting as ``post_id``, or else as the post that gives the
    person sight of ``item`` (a file, receipt or document): its current post when they hold it
    (which is the post every change acts as), else one it passed through, else the post they
    supervise it from (``access.sight_post_id``)."""
    if post_id is None and item is not None:
        post_id = sight_post_id(viewer_of(request), item)
    return Actor.from_request(request, post_id=post_id)


def require_post_held(actor: Actor, post: Post) -> None:
    """Refuse unless the acting person holds ``post`` today (additional charges count)."""
    if actor.person is None or not actor_viewer(actor).holds(post.pk):
        raise ValidationError(
            _("You do not hold the post %(post)s.") % {"post": name_in_language(post, "title")},
            code="not_your_post",
        )


def require_item_held(actor: Actor, item: EFile | Receipt) -> Post:
    """Refuse unless the item is at one of the acting person's posts; returns that post."""
    if actor.person is None or not actor_viewer(actor).holds(item.current_post_id):
        if isinstance(item, EFile):
            message = _("File %(number)s is not at your post.") % {"number": item.number}
        else:
            message = _("Dak %(number)s is not at your post.") % {"number": item.diary_number}
        raise ValidationError(message, code="not_at_your_post")
    return item.current_post


def require_open_office(office: Office) -> None:
    if office.status == Office.Status.CLOSED:
        raise ValidationError(
            _("%(office)s is closed.") % {"office": name_in_language(office)}, code="office_closed"
        )


def require_open_post(post: Post) -> None:
    """A closed post, or a post of a closed office, cannot be sent anything: nobody will ever
    hold it again."""
    if post.closed_on is not None:
        raise ValidationError(
            _("The post %(post)s is closed.") % {"post": name_in_language(post, "title")}, code="post_closed"
        )
    office = Office.objects.only("status", "name", "name_hi").get(pk=post.office_id)
    if office.status == Office.Status.CLOSED:
        raise ValidationError(
            _("The post %(post)s belongs to %(office)s, which is closed.")
            % {"post": name_in_language(post, "title"), "office": name_in_language(office)},
            code="office_closed",
        )
