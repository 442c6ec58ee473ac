"""Helpers of the case register tests: cases entered through the real service."""

import datetime

from django.utils import timezone

from core.base.audit import Actor
from core.cases.services.register import case_register
from core.models import Office, Post
from core.org import services as core_services
from tenants.context import district_context
from tests.helpers import next_id_in_both_districts


def a_date(year: int | None = None) -> datetime.date:
    """A date in ``year`` (this year by default) that is not in the future."""
    today = timezone.localdate()
    if year is None or year == today.year:
        return today.replace(day=1)
    return datetime.date(year, 6, 15)


def register(
    ef,
    key: str = "sho",
    *,
    thana=None,
    fir_number: int = 123,
    year: int | None = None,
    registered_on=None,
    **extra,
):
    """A case registered by ``key`` in Mahua thana (or ``thana``)."""
    year = year or timezone.localdate().year
    particulars = {
        "sections": "BNS 103(1), 3(5)",
        "brief_facts": "A quarrel over land.",
        "complainant": "Ram Kumar",
        "accused": "Shyam Kumar",
    } | extra
    return case_register(
        actor=ef.actor(key),
        thana=thana or ef.offices["ef-thana-mahua"],
        year=year,
        fir_number=fir_number,
        registered_on=registered_on or a_date(year),
        **particulars,
    )


def second_thana(ef) -> Office:
    """Lalganj thana under SDPO Mahnar (Vaishali): outside SDPO Mahua's sub-division."""
    return core_services.office_create(
        code="ef-thana-lalganj",
        name="Lalganj Thana",
        name_hi="लालगंज थाना",
        kind=Office.Kind.THANA,
        parent=ef.offices["ef-sdpo-mahnar"],
    )


def muzaffarpur_sho(ef) -> tuple[Office, Actor]:
    """A thana in Muzaffarpur whose SHO post the Muzaffarpur clerk (``ef.other``) also holds."""
    with district_context("muzaffarpur"):
        thana = core_services.office_create(
            code="mzp-thana-kanti", name="Kanti Thana", kind=Office.Kind.THANA, parent=ef.mzp_office
        )
        post = core_services.post_create(
            office=thana, code="mzp-sho-kanti", title="SHO Kanti", kind=Post.Kind.SHO
        )
        core_services.posting_start(person=ef.people["other"], post=post)
    return thana, Actor(person=ef.people["other"], post_id=post.pk)


def stored_files(media) -> list[str]:
    """The files under the media folder, relative to it, sorted."""
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def next_case_id_in_both_districts() -> int:
    """Move both districts' case id sequences on to the same next value (forward only)."""
    return next_id_in_both_districts("core_case")
