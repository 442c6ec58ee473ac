"""The Tirhut range office, provisioned (committed) through the real service for each module that
uses it: the supervision tests and the cross-district probe:

    tirhut (kind range, police range Tirhut)   DIG Office, Tirhut Range: DIG Tirhut (dig.tirhut)
    phq (kind headquarters, no range)          Police Headquarters, Patna: IG (ig.phq), ADG (adg.phq)

Vaishali and Muzaffarpur (the session world) are in the Tirhut range. The range is removed at the
end of each module that uses it."""

from types import SimpleNamespace

import pytest
from django.db import connection

from core.models import Office, Post
from core.org import services as core_services
from tenants.context import district_context
from tests.helpers import district_remove, person_of


def _supervisor(schema: str, *, login_id: str, code: str, title: str, title_hi: str, abbr: str):
    """A person holding a post in the first office of a range or headquarters tenant."""
    person = person_of(login_id)
    with district_context(schema):
        office = Office.objects.get(code="sp-office")
        if not office.abbr:
            office.abbr = abbr
            office.save(update_fields=["abbr"])
        post = Post.objects.filter(code=code).first() or core_services.post_create(
            office=office, code=code, title=title, title_hi=title_hi, kind=Post.Kind.OTHER
        )
        if not post.postings.filter(person=person, ends_on__isnull=True).exists():
            core_services.posting_start(person=person, post=post)
    connection.set_schema_to_public()
    return person, post, office


def tirhut_provision():
    from state_admin.services.provisioning import DistrictSpec, district_provision

    district = district_provision(
        spec=DistrictSpec(slug="tirhut", name="Tirhut", name_hi="तिरहुत", range_name="Tirhut", kind="range")
    )
    dig, post, office = _supervisor(
        district.schema_name,
        login_id="dig.tirhut",
        code="dig-tirhut",
        title="DIG Tirhut",
        title_hi="डीआईजी तिरहुत",
        abbr="DIGTIR",
    )
    return SimpleNamespace(district=district, dig=dig, post=post, office=office)


def phq_provision():
    """Police headquarters at Patna, as the demo seeds it: a tenant of kind headquarters (no range:
    it supervises every police district) with an IG and an ADG in its one office."""
    from state_admin.services.provisioning import DistrictSpec, district_provision

    district = district_provision(
        spec=DistrictSpec(
            slug="phq", name="Police Headquarters, Patna", name_hi="पुलिस मुख्यालय, पटना", kind="headquarters"
        )
    )
    ig, post, office = _supervisor(
        district.schema_name,
        login_id="ig.phq",
        code="ig",
        title="IG (Operations)",
        title_hi="आईजी",
        abbr="PHQ",
    )
    adg, adg_post, _office = _supervisor(
        district.schema_name,
        login_id="adg.phq",
        code="adg",
        title="ADG (Headquarters)",
        title_hi="एडीजी",
        abbr="PHQ",
    )
    return SimpleNamespace(district=district, ig=ig, post=post, adg=adg, adg_post=adg_post, office=office)


# Per module, and removed after it: other modules (the state console's district lists and
# counts) must not find a range office they did not make.
@pytest.fixture(scope="module")
def tirhut(world, django_db_blocker):
    with django_db_blocker.unblock():
        made = tirhut_provision()
    yield made
    with django_db_blocker.unblock():
        district_remove("tirhut")


@pytest.fixture(scope="module")
def phq(world, django_db_blocker):
    with django_db_blocker.unblock():
        made = phq_provision()
    yield made
    with django_db_blocker.unblock():
        district_remove("phq")
