"""Setting up a district's offices and posts from a structure (an office template's ``offices``).

The structure is a list of ``{"code", "name", "name_hi", "kind", "parent", "phase", "posts":
[{"code", "title", "title_hi", "kind"}]}``; names may hold ``{district}`` / ``{district_hi}``.
The state console checks a structure before it is stored; this module only applies one.
"""

from __future__ import annotations

from django.db import transaction

from core.models import Office, Post
from core.org import services


def district_names_fill(text: str, *, district_name: str, district_name_hi: str) -> str:
    """Put the district's names in place of ``{district}`` / ``{district_hi}`` (no other braces)."""
    filled = text.replace("{district_hi}", district_name_hi).replace("{district}", district_name)
    return " ".join(filled.split())


def structure_in_parent_order(structure: list[dict]) -> list[dict]:
    """The offices ordered so that each parent named in the structure comes before its children."""
    by_code = {office["code"]: office for office in structure}
    ordered: list[dict] = []
    placed: set[str] = set()

    def place(office: dict, trail: frozenset[str]) -> None:
        code = office["code"]
        if code in placed or code in trail:
            return
        parent = office.get("parent") or ""
        if parent in by_code:
            place(by_code[parent], trail | {code})
        placed.add(code)
        ordered.append(office)

    for office in structure:
        place(office, frozenset())
    return ordered


@transaction.atomic
def offices_apply(*, structure: list[dict], district_name: str, district_name_hi: str = "") -> dict:
    """Create the structure's offices and posts that the current district lacks, matched by code.

    Offices and posts that exist are left exactly as they are; nothing is ever deleted, so applying
    twice creates nothing the second time. New offices start planned. Returns
    ``{"offices_created": n, "posts_created": n}``. Run under the district's schema.
    """

    def fill(text: str) -> str:
        return district_names_fill(text or "", district_name=district_name, district_name_hi=district_name_hi)

    office_codes = [office["code"] for office in structure]
    post_codes = [post["code"] for office in structure for post in office.get("posts", [])]
    offices = {office.code: office for office in Office.objects.filter(code__in=office_codes)}
    existing_posts = set(Post.objects.filter(code__in=post_codes).values_list("code", flat=True))
    parent_codes = {office.get("parent") for office in structure if office.get("parent")}
    offices.update({office.code: office for office in Office.objects.filter(code__in=parent_codes)})
    counts = {"offices_created": 0, "posts_created": 0}
    for spec in structure_in_parent_order(structure):
        office = offices.get(spec["code"])
        if office is None:
            office = services.office_create(
                code=spec["code"],
                name=fill(spec["name"]),
                name_hi=fill(spec.get("name_hi", "")),
                kind=spec["kind"],
                parent=offices.get(spec.get("parent") or ""),
                phase=int(spec.get("phase") or 1),
            )
            offices[office.code] = office
            counts["offices_created"] += 1
        for post in spec.get("posts", []):
            if post["code"] in existing_posts:
                continue
            services.post_create(
                office=office,
                code=post["code"],
                title=fill(post["title"]),
                title_hi=fill(post.get("title_hi", "")),
                kind=post["kind"],
            )
            existing_posts.add(post["code"])
            counts["posts_created"] += 1
    return counts
