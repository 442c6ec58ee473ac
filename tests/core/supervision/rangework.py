"""What the supervision tests share: the DIG's client, the figures copied, letters to and fro."""

from django.utils import timezone

from core.base.audit import Actor
from core.efile.services.dispatch import dispatch_record
from core.supervision.rollup import supervision_refresh_one
from tenants.context import district_context
from tenants.models import District
from tests.helpers import HostClient


def dig_client(tirhut) -> HostClient:
    client = HostClient("tirhut")
    assert client.sign_in(tirhut.dig.login_id).status_code == 302
    return client


def figures_refresh(*slugs: str) -> None:
    for slug in slugs or ("vaishali", "muzaffarpur"):
        supervision_refresh_one(District.objects.get(slug=slug))


def dig_actor(tirhut) -> Actor:
    return Actor(person=tirhut.dig, post_id=tirhut.post.pk, ip="10.9.8.6")


def dig_dispatch(tirhut, subject: str = "Direction: arrest the absconding accused of Mahua PS case 12/2025"):
    """An outward letter of the DIG's office, entered by hand."""
    with district_context("tirhut"):
        return dispatch_record(
            actor=dig_actor(tirhut),
            post=tirhut.post,
            addressee="SP Vaishali",
            subject=subject,
            dispatched_on=timezone.localdate(),
        )
