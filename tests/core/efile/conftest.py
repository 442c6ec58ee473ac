"""An e-File world, made fresh inside each test's transaction through the real services.

Vaishali gets a proper office tree (the session world's SDPO sits in the SP office, which would
make them supervise the whole district):

    SP office Vaishali (sp-office)      SP (ef.sp), clerk (ef.clerk), PIO (ef.pio)
    └── SDPO office Mahua                SDPO (ef.sdpo), clerk (ef.sdpoclerk)
        └── Mahua thana                 SHO (ef.sho), SI (ef.si)
    SDPO office Mahnar                   SDPO (ef.mahnar): a supervisor with nothing over Mahua

Muzaffarpur gets a clerk in its SP office (ef.other), for isolation checks. ``ef.client("sdpo")``
is a signed-in client on the person's district host; ``ef.actor("sdpo")`` the audit actor.
"""

from contextlib import contextmanager
from types import SimpleNamespace

import pytest

from core.base.audit import Actor
from core.models import Office, Post
from core.org import services as core_services
from tenants.context import district_context
from tests.helpers import HostClient, district_remove, person_of

# key: (district, office code, post code, post title, post kind)
PEOPLE = {
    "sp": ("vaishali", "sp-office", "ef-sp", "SP Vaishali", Post.Kind.SP),
    "clerk": ("vaishali", "sp-office", "ef-sp-clerk", "Dak clerk, SP office", Post.Kind.CLERK),
    "pio": ("vaishali", "sp-office", "ef-pio", "PIO", Post.Kind.PIO),
    "sdpo": ("vaishali", "ef-sdpo-mahua", "ef-sdpo-mahua", "SDPO Mahua", Post.Kind.SDPO),
    "sdpoclerk": ("vaishali", "ef-sdpo-mahua", "ef-sdpo-mahua-clerk", "Clerk, SDPO Mahua", Post.Kind.CLERK),
    "sho": ("vaishali", "ef-thana-mahua", "ef-sho-mahua", "SHO Mahua", Post.Kind.SHO),
    "si": ("vaishali", "ef-thana-mahua", "ef-si-mahua", "SI Mahua", Post.Kind.SI),
    "mahnar": ("vaishali", "ef-sdpo-mahnar", "ef-sdpo-mahnar", "SDPO Mahnar", Post.Kind.SDPO),
    "other": ("muzaffarpur", "sp-office", "ef-mzp-clerk", "Dak clerk, SP office", Post.Kind.CLERK),
}

OFFICES = [
    # (code, name, name_hi, kind, parent code, abbr)
    ("ef-sdpo-mahua", "SDPO Office Mahua", "एसडीपीओ कार्यालय महुआ", Office.Kind.SDPO, "sp-office", "SDPOMAH"),
    ("ef-thana-mahua", "Mahua Thana", "महुआ थाना", Office.Kind.THANA, "ef-sdpo-mahua", "PSMAH"),
    (
        "ef-sdpo-mahnar",
        "SDPO Office Mahnar",
        "एसडीपीओ कार्यालय महनार",
        Office.Kind.SDPO,
        "sp-office",
        "SDPOMNR",
    ),
]


@pytest.fixture
def ef(world, db):
    people, posts, offices = {}, {}, {}
    for district in ("vaishali", "muzaffarpur"):
        with district_context(district):
            sp_office = Office.objects.get(code="sp-office")
            if not sp_office.abbr:
                sp_office.abbr = "SPVAI" if district == "vaishali" else "SPMZP"
                sp_office.save(update_fields=["abbr"])
            offices[(district, "sp-office")] = sp_office
            if district == "vaishali":
                for code, name, name_hi, kind, parent, abbr in OFFICES:
                    office = core_services.office_create(
                        code=code,
                        name=name,
                        name_hi=name_hi,
                        kind=kind,
                        parent=offices[(district, parent)],
                    )
                    office.abbr = abbr
                    office.save(update_fields=["abbr"])
                    offices[(district, code)] = office
            for key, (where, office_code, post_code, title, kind) in PEOPLE.items():
                if where != district:
                    continue
                post = core_services.post_create(
                    office=offices[(district, office_code)], code=post_code, title=title, kind=kind
                )
                person = person_of(f"ef.{key}")
                core_services.posting_start(person=person, post=post)
                people[key], posts[key] = person, post

    def client(key: str) -> HostClient:
        district = PEOPLE[key][0] if key in PEOPLE else "vaishali"
        c = HostClient(district)
        person = people.get(key)
        c.sign_in(person.login_id if person else key)
        return c

    def actor(key: str) -> Actor:
        return Actor(person=people[key], post_id=posts[key].pk, ip="10.9.8.7")

    return SimpleNamespace(
        people=people,
        posts=posts,
        offices={code: office for (district, code), office in offices.items() if district == "vaishali"},
        mzp_office=offices[("muzaffarpur", "sp-office")],
        client=client,
        actor=actor,
    )


@contextmanager
def committed_desk(world, *, slug: str, name: str):
    """A district provisioned for real (committed: threads on their own connections see it) with a
    clerk and an SDPO post in its SP office, held by the session's clerk and SDPO (no accounts to
    remove afterwards). Yields (district, the clerk's actor, {"clerk": post, "sdpo": post}); the
    district is removed afterwards. Run with the database unblocked."""
    from state_admin.services.provisioning import DistrictSpec, district_provision

    district = district_provision(
        spec=DistrictSpec(slug=slug, name=name, name_hi="परीक्षण", range_name="Tirhut")
    )
    try:
        with district_context(district.schema_name):
            office = Office.objects.get(code="sp-office")
            posts = {}
            for person, key, kind in (
                (world.vaishali_clerk, "clerk", Post.Kind.CLERK),
                (world.vaishali_officer, "sdpo", Post.Kind.SDPO),
            ):
                posts[key] = core_services.post_create(
                    office=office, code=f"{slug}-{key}", title=key, kind=kind
                )
                core_services.posting_start(person=person, post=posts[key])
        yield district, Actor(person=world.vaishali_clerk), posts
    finally:
        district_remove(slug)
