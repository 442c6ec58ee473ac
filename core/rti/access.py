"""Who may see an RTI application: THE rule for the RTI register. Every list, page, reply,
download, reminder and report reads through ``rti_visible_q``, so they cannot disagree.

It reuses the e-File's ``Viewer`` (posts held today, offices supervised):

- the public information officer's post sees the application, wherever that post sits;
- so does every post whose help was sought on it (s.5(4));
- the officers of the office that received it (its RTI cell keeps the register);
- a supervisor whose scope covers that office: the SDPO over an SDPO office's application, the
  SP or Addl. SP over every application of the district;
- nobody else, and the district admin's role gives nothing.

Whoever sees an application may keep its particulars; the PIO's decisions (a further fee, a third
party's notice, a transfer) are taken by the PIO's post or a supervisor over the office
(``core.rti.services.changes.rti_decision_post_id``), and the reply is given by the PIO's post only
(``rti_pio_post_id``).
"""

from __future__ import annotations

from django.db.models import Q

from core.base.access import NOTHING, Viewer, id_or_none
from core.models import Post, RtiApplication


def _register_posts(viewer: Viewer):
    """The viewer's posts that keep their office's RTI register: any but the district admin's,
    whose post sits in the SP office and whose role gives nothing here."""
    return Post.objects.filter(pk__in=viewer.post_ids).exclude(kind=Post.Kind.DISTRICT_ADMIN)


def rti_office_post_id(viewer: Viewer, office_id: int) -> int | None:
    """The post that lets the viewer keep an office's RTI register: their post in the office (not
    the district admin's), else the narrowest post supervising it, else their SP or Addl. SP post;
    None if none does."""
    if viewer.post_ids:
        mine = _register_posts(viewer).filter(office_id=office_id).order_by("id").values_list("id", flat=True)
        if mine:
            return mine[0]
    for post_id, scope in viewer.supervising:
        if office_id in scope:
            return post_id
    return viewer.district_post_id


def rti_visible_q(viewer: Viewer) -> Q:
    """Applications the viewer may see, as a filter on ``RtiApplication``."""
    if viewer.district_wide:
        return Q()
    if not viewer.sees_anything:
        return NOTHING
    own_offices = _register_posts(viewer).values("office_id")
    helped = RtiApplication.helper_posts.through.objects.filter(post_id__in=viewer.post_ids).values(
        "rtiapplication_id"
    )
    q = Q(pio_post_id__in=viewer.post_ids) | Q(pk__in=helped) | Q(office_id__in=own_offices)
    if viewer.scope_office_ids:
        q |= Q(office_id__in=viewer.scope_office_ids)
    return q


def rtis_visible(viewer: Viewer):
    return RtiApplication.objects.filter(rti_visible_q(viewer))


def rti_for(viewer: Viewer, rti_id) -> RtiApplication | None:
    """The application if the viewer may see it, else None (views answer 404 either way)."""
    rti_id = id_or_none(rti_id)
    if rti_id is None:
        return None
    return (
        rtis_visible(viewer)
        .select_related("office", "pio_post__office", "created_post")
        .filter(pk=rti_id)
        .first()
    )


def rti_post_id(viewer: Viewer, application: RtiApplication) -> int | None:
    """The post the viewer sees (and keeps) the application as: the PIO's post if theirs, else a
    post whose help was sought, else as for the office that received it (their post there, the
    narrowest supervising post, the SP's)."""
    if viewer.holds(application.pio_post_id):
        return application.pio_post_id
    if viewer.post_ids:
        helper = (
            application.helper_posts.filter(pk__in=viewer.post_ids)
            .order_by("id")
            .values_list("id", flat=True)
            .first()
        )
        if helper is not None:
            return helper
    return rti_office_post_id(viewer, application.office_id)


def rti_pio_post_id(viewer: Viewer, application: RtiApplication) -> int | None:
    """The PIO's post if the viewer holds it today (only the PIO replies), else None."""
    return application.pio_post_id if viewer.holds(application.pio_post_id) else None


__all__ = [
    "rti_for",
    "rti_office_post_id",
    "rti_pio_post_id",
    "rti_post_id",
    "rti_visible_q",
    "rtis_visible",
]
