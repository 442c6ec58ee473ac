"""The demo's supervising offices (issue 22.2): the Tirhut range office with its DIG, and Police
Headquarters, Patna with its IG and ADG. Each is a tenant of its own (kind range/headquarters),
provisioned like a district, with its own host (``tirhut.<root>``, ``phq.<root>``)."""

from core.models import Office, Post
from core.org import services as core_services
from core.supervision.rollup import supervision_refresh
from state_admin.services.provisioning import DistrictSpec, district_provision
from tenants.context import district_context
from tenants.services import person_get_or_create

# slug, kind, name, name_hi, range (a range office supervises its range's districts), office abbr
OFFICES = [
    ("tirhut", "range", "Tirhut", "तिरहुत", "Tirhut", "DIGTIR"),
    ("phq", "headquarters", "Police Headquarters, Patna", "पुलिस मुख्यालय, पटना", "", "PHQ"),
]
# tenant slug, post code, title, title_hi, login_id, name, name_hi
SUPERVISORS = [
    (
        "tirhut",
        "dig",
        "DIG, Tirhut Range",
        "डीआईजी, तिरहुत रेंज",
        "dig.tirhut",
        "Chandan Kushwaha",
        "चंदन कुशवाहा",
    ),
    ("phq", "ig", "IG (Operations)", "आईजी (अभियान)", "ig.phq", "Vinay Kumar", "विनय कुमार"),
    ("phq", "adg", "ADG (Headquarters)", "एडीजी (मुख्यालय)", "adg.phq", "Kundan Krishnan", "कुंदन कृष्णन"),
]


def demo_supervision_logins(root: str) -> list[tuple[str, str]]:
    return [(f"{slug}.{root}", login_id) for slug, _c, _t, _th, login_id, _n, _nh in SUPERVISORS]


def demo_supervision_seed(*, password: str) -> None:
    """Provision the range office and headquarters (idempotent, as provisioning is) and post their
    supervising officers in their first office; running it again changes nothing."""
    for slug, kind, name, name_hi, range_name, abbr in OFFICES:
        district_provision(
            spec=DistrictSpec(slug=slug, name=name, name_hi=name_hi, range_name=range_name, kind=kind)
        )
        with district_context(slug):
            Office.objects.filter(code="sp-office", abbr="").update(abbr=abbr)  # its letters' numbers
    for slug, code, title, title_hi, login_id, full_name, full_name_hi in SUPERVISORS:
        person, _ = person_get_or_create(
            login_id=login_id,
            full_name=full_name,
            full_name_hi=full_name_hi,
            email=f"{login_id}@example.org",
            password=password,
            must_set_password=False,
        )
        with district_context(slug):
            office = Office.objects.get(code="sp-office")
            post = Post.objects.filter(code=code).first() or core_services.post_create(
                office=office, code=code, title=title, title_hi=title_hi, kind=Post.Kind.OTHER
            )
            if not post.postings.filter(person=person, ends_on__isnull=True).exists():
                core_services.posting_start(person=person, post=post)
    supervision_refresh()  # their boards have figures at once, not after the first 15 minutes
