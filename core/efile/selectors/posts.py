"""Post pickers: where a file or a receipt may be sent.

Items go to posts, not people; the holder's name is shown only to help the sender pick the desk.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.base.access import Viewer
from core.base.holders import post_holding_list
from core.models import Movement, Office, Post
from core.org.selectors.offices import office_tree
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


# How far back the viewer's own sends are counted for their usual recipients, and how many are offered.
USUAL_FROM_LAST = 200
USUAL_COUNT = 6


def usual_recipient_ids(
    viewer: Viewer | None, *, last: int = USUAL_FROM_LAST, count: int = USUAL_COUNT
) -> list[int]:
    """The posts the viewer's posts sent files and dak to most often in their last ``last`` sends
    (most sent first, the latest first among equals), at most ``count``. One query on the
    movements' ``(from_post, at)`` index; empty for a viewer with no posting."""
    if viewer is None or not viewer.post_ids:
        return []
    recent = list(
        Movement.objects.filter(from_post_id__in=viewer.post_ids, action=Movement.Action.SENT)
        .exclude(to_post_id__in=viewer.post_ids)
        .order_by("-at", "-id")
        .values_list("to_post_id", flat=True)[:last]
    )
    counts = Counter(recent)
    first_seen: dict[int, int] = {}
    for index, post_id in enumerate(recent):
        first_seen.setdefault(post_id, -index)
    return sorted(counts, key=lambda post_id: (counts[post_id], first_seen[post_id]), reverse=True)[:count]


def post_choices(
    *, exclude_post_id: int | None = None, viewer: Viewer | None = None
) -> list[tuple[str, list[tuple[int, str]]]]:
    """Open posts of open offices in this district, grouped by office (in the office tree's order),
    each labelled with its title and today's holders (a post held under additional charge names
    its holder so; a post nobody holds says "vacant" and comes after the held ones of its office),
    for a ``ChoiceField``'s grouped choices. With a ``viewer``, a first group lists the posts they
    usually send to (``usual_recipient_ids``), each with its office named.

    District-admin posts are left out: the role administers and does not work on files. Labels are
    in the active language. The district's groups come from the cache while no post, office,
    posting in force or holder's account has changed (``_district_groups``); the viewer's usual
    recipients are read on every call (one query).
    """
    groups, labelled = _district_groups()
    if exclude_post_id is not None:
        groups = [
            (office, options)
            for office, options in (
                (office, [option for option in options if option[0] != exclude_post_id])
                for office, options in groups
            )
            if options
        ]
        labelled = {pk: label for pk, label in labelled.items() if pk != exclude_post_id}
    usual = [(post_id, labelled[post_id]) for post_id in usual_recipient_ids(viewer) if post_id in labelled]
    return [(_("Your usual recipients"), usual), *groups] if usual else groups


# How long the district's picker is kept: its key changes whenever what it shows changes.
POST_CHOICES_SECONDS = 600
POST_CHOICES_KEY = "efile:post-choices"

# Versions of what the picker shows, in one statement (unqualified names: the district's schema,
# then public, on the connection's search_path): every post and office row, and every posting in
# force today with its holder's account (names). PostgreSQL's xmin and ctid change with every
# write to a row, whichever code wrote it.
_VERSIONS_SQL = """SELECT concat_ws('|',
  (SELECT md5(string_agg(id::text || ':' || xmin::text || ctid::text, ',' ORDER BY id)) FROM core_post),
  (SELECT md5(string_agg(id::text || ':' || xmin::text || ctid::text, ',' ORDER BY id)) FROM core_office),
  (SELECT md5(string_agg(pg.id::text || ':' || pg.xmin::text || pg.ctid::text || ':' || u.xmin::text
      || u.ctid::text, ',' ORDER BY pg.id))
   FROM core_posting pg JOIN tenants_user u ON u.id = pg.person_id
   WHERE pg.starts_on <= %s AND (pg.ends_on IS NULL OR pg.ends_on >= %s)))"""


def _district_groups() -> tuple[list[tuple[str, list[tuple[int, str]]]], dict[int, str]]:
    """Every open post of the district, grouped as ``post_choices`` gives them, and each post's
    label with its office named (for the usual recipients). Four queries to build; kept in the
    cache (per district: every key carries the schema, ``tenants.cache``) under a key of the
    language, today's date, the translated words the labels use and the versions of every row
    they are made from, so that a renamed post or office, a new or ended posting or a renamed
    holder shows at the next look."""
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(_VERSIONS_SQL, [today, today])
        versions = cursor.fetchone()[0]
    words = (_("vacant"), _("%(name)s (additional charge)"), translation.get_language() or "")
    digest = hashlib.sha256("\n".join((today.isoformat(), versions, *words)).encode()).hexdigest()
    key = f"{POST_CHOICES_KEY}:{digest}"
    found = cache.get(key)
    if found is None:
        found = _district_groups_read()
        cache.set(key, found, POST_CHOICES_SECONDS)
    return found


def _district_groups_read() -> tuple[list[tuple[str, list[tuple[int, str]]]], dict[int, str]]:
    posts = list(
        Post.objects.filter(closed_on__isnull=True)
        .exclude(kind=Post.Kind.DISTRICT_ADMIN)
        .exclude(office__status=Office.Status.CLOSED)
        .order_by("title", "id")
    )
    holders = _holder_names([post.pk for post in posts])
    posts.sort(key=lambda post: post.pk not in holders)  # stable: held posts first, by title
    by_office: dict[int, list[tuple[int, str]]] = {}
    for post in posts:
        by_office.setdefault(post.office_id, []).append((post.pk, post_label(post, holders.get(post.pk, []))))
    offices = [row.office for row in office_tree() if row.office.pk in by_office]
    groups = [(bilingual(office), by_office[office.pk]) for office in offices]
    office_names = {office.pk: bilingual(office) for office in offices}
    labelled = {
        pk: f"{label} ({office_names[office_pk]})"
        for office_pk, options in by_office.items()
        if office_pk in office_names
        for pk, label in options
    }
    return groups, labelled


def picker_attrs() -> dict[str, str]:
    """Attributes of a post picker's ``<select>``: ``static/karyalay.js`` puts a filter box before
    it that narrows the options to those whose post, office or holder matches what is typed. No
    script: an ordinary select."""
    return {"data-post-picker": "", "data-filter-label": _("Filter by post, office or officer")}


def post_choice_ids(choices: list[tuple[str, list[tuple[int, str]]]]) -> set[int]:
    """The post ids offered in ``post_choices`` output (to check a submitted choice)."""
    return {post_id for _office, options in choices for post_id, _label in options}
