"""The districts a management command is run for: one named by its slug, or ``--all``."""

from django.core.management.base import CommandError

from tenants.models import STATUSES_WITH_SCHEMA, District


def districts_arguments_add(parser) -> None:
    """The ``slug`` argument and the ``--all`` option."""
    parser.add_argument("slug", nargs="?", help="The district's slug, e.g. vaishali.")
    parser.add_argument("--all", action="store_true", help="Every district that has a schema.")


def districts_named(*, slug: str | None, all: bool, has_no: str) -> list[District]:
    """The district ``slug`` names, or with ``all`` every district that has a schema (by slug).

    Raises CommandError for neither or both, an unknown slug, or a district without a schema yet
    (``has_no`` says what it lacks then: "storage", "audit trail").
    """
    if bool(slug) == bool(all):
        raise CommandError("Give one district slug, or --all.")
    if all:
        return list(District.objects.filter(status__in=STATUSES_WITH_SCHEMA).order_by("slug"))
    district = District.objects.filter(slug=slug.strip().lower()).first()
    if district is None:
        raise CommandError(f"No district with the slug {slug!r}.")
    if not district.has_schema:
        raise CommandError(f"{district.name} is {district.status}; it has no {has_no} yet.")
    return [district]
