"""The e-File world of ``tests/core/efile`` (offices, posts and people made through the services),
and the outage helpers: the district admin as actor, and a file that existed before an outage."""

import datetime

import pytest
from django.utils import timezone

from core.base.audit import Actor
from core.models import EFile
from core.org.selectors.postings import district_admin_post
from core.outage.services import outage_movement_back_enter
from tenants.models import User
from tests.core.efile.conftest import ef  # noqa: F401 (the fixture, shared)
from tests.core.efile.filework import open_file


def ago(**delta) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**delta)


def admin_actor() -> Actor:
    return Actor(person=User.objects.get(login_id="vaishali.admin"), post_id=district_admin_post().pk)


def file_from_before(ef, key: str, *, days: int) -> EFile:
    """A file opened at ``key``'s post through the service, then dated ``days`` back: it lay there
    before the outage began (nothing in the services opens a file in the past)."""
    file = open_file(ef, key)
    then = ago(days=days)
    EFile.objects.filter(pk=file.pk).update(arrived_at=then, created_at=then, received_at=then)
    file.refresh_from_db()
    return file


@pytest.fixture
def vaishali(world):
    from tenants.context import district_context

    with district_context("vaishali"):
        yield


def sent_on_the_slip(ef, outage, item, *, occurred_at: datetime.datetime):
    """``item`` back-entered as sent by the SDPO's clerk to the SDPO at ``occurred_at``, on the
    outage's first movement slip."""
    return outage_movement_back_enter(
        actor=ef.actor("sdpoclerk"),
        outage=outage,
        item=item,
        to_post=ef.posts["sdpo"],
        number=outage.numbers.filter(kind="slip").first().number,
        occurred_at=occurred_at,
    )
