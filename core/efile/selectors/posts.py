"""Post pickers: where a file or a receipt may be sent.

Items go to posts, not people; the holder's name is shown only to help the sender pick the desk.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.efile.access import Viewer
from core.models import Office, Post
from core.selectors import office_tree, post_holding_list
from core.templatetags.karyalay import bilingual, person_name


def _holder_names(post_ids: list[int]) -> dict[int, list[str]]:
    """The names of the people holding each post today (additional charges included)."""
    names: dict[int, list[str]] = {}
    for posting in post_holding_list(post_ids=post_ids):
        name = person_name(posting.person)
        if posting.additional_charge:
            name = _("%(name)s (additional charge)") % {"name": name}
        names.setdefault(posting.post_id, []).append(name)
    return names


def desk_posts(viewer: Viewer) -> list[Post]:
    """The open posts the viewer holds today, in open offices, that can work on dak and files (not
    the district admin's post: the role administers and does not work on files): where they may
    diarise dak or open a file."""
    if not viewer.post_ids:
        return []
    return list(
        Post.objects.filter(pk__in=viewer.post_ids, closed_on__isnull=True)
        .exclude(kind=Post.Kind.DISTRICT_ADMIN)
        .exclude(office__status=Office.Status.CLOSED)
        .select_related("office")
        .order_by("office__name", "title", "id")
    )


def post_label(post: Post, holders: list[str]) -> str:
    """``SDPO Mahua — Ravi Kumar``, or ``… — vacant``, in the page's language."""
    who = ", ".join(holders) if holders else _("vacant")
    return f"{bilingual(post, 'title')} — {who}"


def post_choices(*, exclude_post_id: int | None = None) -> list[tuple[str, list[tuple[int, str]]]]:
    """Open posts of open offices in this district, grouped by office (in the office tree's order),
    each labelled with its title and today's holders, for a ``ChoiceField``'s grouped choices.

    District-admin posts are left out: the role administers and does not work on files. Labels are
    in the active language, so build the list per request (three queries, whatever the size).
    """
    posts = (
        Post.objects.filter(closed_on__isnull=True)
        .exclude(kind=Post.Kind.DISTRICT_ADMIN)
        .exclude(office__status=Office.Status.CLOSED)
        .order_by("title", "id")
    )
    if exclude_post_id is not None:
        posts = posts.exclude(pk=exclude_post_id)
    posts = list(posts)
    holders = _holder_names([post.pk for post in posts])
    by_office: dict[int, list[tuple[int, str]]] = {}
    for post in posts:
        by_office.setdefault(post.office_id, []).append((post.pk, post_label(post, holders.get(post.pk, []))))
    offices = [row.office for row in office_tree() if row.office.pk in by_office]
    return [(bilingual(office), by_office[office.pk]) for office in offices]


def post_choice_ids(choices: list[tuple[str, list[tuple[int, str]]]]) -> set[int]:
    """The post ids offered in ``post_choices`` output (to check a submitted choice)."""
    return {post_id for _office, options in choices for post_id, _label in options}
