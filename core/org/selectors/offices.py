"""Reads of the district's offices: the list, the tree (for pages and pickers), sub-trees, and the
choices of a parent office. Run under the district's schema.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from core.base.holders import office_subtree_ids
from core.models import Office


def office_list() -> QuerySet[Office]:
    return Office.objects.select_related("parent").order_by("phase", "name")


@dataclass(frozen=True)
class TreeRow:
    office: Office
    depth: int


def office_tree() -> list[TreeRow]:
    """Every office of the district, closed ones too, each after its parent and indented under it:
    SP office → SDPO → circle → thana, siblings by phase and name. Offices whose parent chain is
    broken (none should be) are shown at the top rather than lost."""
    offices = list(office_list())
    children: dict[int | None, list[Office]] = {}
    ids = {office.pk for office in offices}
    for office in offices:
        parent_id = office.parent_id if office.parent_id in ids else None
        children.setdefault(parent_id, []).append(office)
    rows: list[TreeRow] = []
    seen: set[int] = set()

    def walk(parent_id: int | None, depth: int) -> None:
        for office in children.get(parent_id, []):
            if office.pk in seen:
                continue
            seen.add(office.pk)
            rows.append(TreeRow(office=office, depth=depth))
            walk(office.pk, depth + 1)

    walk(None, 0)
    rows += [TreeRow(office=office, depth=0) for office in offices if office.pk not in seen]
    return rows


def office_descendant_ids(office: Office) -> set[int]:
    """The ids of every office under this one, at any depth."""
    return set(office_subtree_ids(office.pk)) - {office.pk}


def office_parent_choices(*, office: Office | None = None) -> QuerySet[Office]:
    """Open offices an office may be put under (not itself nor one of its sub-offices); the
    services still check the kinds."""
    choices = Office.objects.exclude(status=Office.Status.CLOSED).order_by("phase", "name")
    if office is not None:
        choices = choices.exclude(pk__in={office.pk} | office_descendant_ids(office))
    return choices
