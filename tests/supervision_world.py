"""The Tirhut range office, provisioned (committed) through the real service for each module that
uses it: the supervision tests and the cross-district probe:

    tirhut (kind range, police range Tirhut)   DIG Office, Tirhut Range: DIG Tirhut (dig.tirhut)

Vaishali and Muzaffarpur (the session world) are in the Tirhut range. The range is removed at the
end of each module that uses it."""

from types import SimpleNamespace

import pytest
from django.db import connection

from core.models import Office, Post
from core.org import services as core_services
from tenants.context import district_context
from tenants.services import person_get_or_create
from tests.helpers import PASSWORD, district_remove


def tirhut_provision():
    from state_admin.services.provisioning import DistrictSpec, district_provision

    district = district_provision(
        spec=DistrictSpec(slug="tirhut", name="Tirhut", name_hi="तिरहुत", range_name="Tirhut", kind="range")
    )
    dig, _created = person_get_or_create(
        login_id="dig.tirhut",
        full_name="Dig Tirhut",
        email="dig.tirhut@example.org",
        password=PASSWORD,
        must_set_password=False,
    )
    with district_context(district.schema_name):
        office = Office.objects.get(code="sp-office")
        if not office.abbr:
            office.abbr = "DIGTIR"
            office.save(update_fields=["abbr"])
        post = Post.objects.filter(code="dig-tirhut").first() or core_services.post_create(
            office=office,
            code="dig-tirhut",
            title="DIG Tirhut",
            title_hi="डीआईजी तिरहुत",
            kind=Post.Kind.OTHER,
        )
        if not post.postings.filter(person=dig, ends_on__isnull=True).exists():
            core_services.posting_start(person=dig, post=post)
    connection.set_schema_to_public()
    return SimpleNamespace(district=district, dig=dig, post=post, office=office)


# Per module, and removed after it: other modules (the state console's district lists and
# counts) must not find a range office they did not make.
@pytest.fixture(scope="module")
def tirhut(world, django_db_blocker):
    with django_db_blocker.unblock():
        made = tirhut_provision()
    yield made
    with django_db_blocker.unblock():
        district_remove("tirhut")
