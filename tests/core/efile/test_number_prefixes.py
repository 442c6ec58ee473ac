"""Numbers begin with the office's short code and are unique in the district. A short code another
office numbered under before cannot be taken (its numbers would repeat); should two offices' numbers
clash all the same, the clerk gets a refusal, not a server error."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.base.audit import Actor
from core.efile.services.dispatch import dispatch_record
from core.models import Dispatch, EFile, Office, Receipt
from core.org import services
from tenants.context import district_context
from tenants.models import User
from tests.core.efile.filework import open_file
from tests.core.efile.test_receipts import diarise

YEAR = timezone.localdate().year
K = Office.Kind


def admin() -> Actor:
    return Actor(person=User.objects.get(login_id="vaishali.admin"))


def _update(office: Office, abbr: str) -> Office:
    """Change the short code as the district admin does; ``office`` (the instance the test's posts
    hold) is refreshed after."""
    office.refresh_from_db()
    services.office_update(
        actor=admin(),
        office=office,
        name=office.name,
        name_hi=office.name_hi,
        address=office.address,
        abbr=abbr,
    )
    office.refresh_from_db()
    return office


def _force(office: Office, abbr: str) -> None:
    """Set a short code past the service's checks (as offices could before they existed)."""
    Office.objects.filter(pk=office.pk).update(abbr=abbr)
    office.refresh_from_db()


NUMBERED = {
    "diary": lambda ef, key: diarise(ef, key).diary_number,
    "file": lambda ef, key: open_file(ef, key).number,
    "dispatch": lambda ef, key: (
        dispatch_record(actor=ef.actor(key), post=ef.posts[key], addressee="IG", subject="Report").number
    ),
}


@pytest.mark.parametrize("kind", sorted(NUMBERED))
def test_a_short_code_another_office_numbered_under_cannot_be_taken(ef, kind):
    with district_context("vaishali"):
        sp_office, mahnar = ef.offices["sp-office"], ef.offices["ef-sdpo-mahnar"]
        number = NUMBERED[kind](ef, "clerk")
        assert number.startswith("SPVAI/")
        _update(sp_office, "SPVX")
        with pytest.raises(ValidationError) as refused:
            _update(mahnar, "spvai")
        assert "was used by another office before" in " ".join(refused.value.message_dict["abbr"])
        mahnar.refresh_from_db()
        assert mahnar.abbr == "SDPOMNR"
        # The office that used it may take it back: its own numbers carry on from where they were.
        assert _update(sp_office, "SPVAI").abbr == "SPVAI"
        assert NUMBERED[kind](ef, "clerk").startswith("SPVAI/")


def test_an_unused_short_code_and_a_longer_one_sharing_its_start_are_free(ef):
    with district_context("vaishali"):
        diarise(ef, "clerk")  # SPVAI/…
        assert _update(ef.offices["ef-sdpo-mahnar"], "SPVAI2").abbr == "SPVAI2"
        assert diarise(ef, "mahnar").diary_number == f"SPVAI2/{YEAR}/000001"


def test_a_new_office_without_a_short_code_may_not_number_under_anothers(ef):
    with district_context("vaishali"):
        sp_office = ef.offices["sp-office"]
        with pytest.raises(ValidationError) as refused:
            services.office_create(
                actor=admin(), code="spvai", name="Look-alike", kind=K.SDPO, parent=sp_office
            )
        assert "give it a short code" in " ".join(refused.value.message_dict["abbr"])
        diarise(ef, "clerk")
        _update(sp_office, "SPVX")  # SPVAI is no one's short code now, but numbers begin with it
        with pytest.raises(ValidationError):
            services.office_create(
                actor=admin(), code="spvai", name="Look-alike", kind=K.SDPO, parent=sp_office
            )
        assert not Office.objects.filter(code="spvai").exists()
        # With a short code of its own the code does not matter.
        office = services.office_create(
            actor=admin(), code="spvai", name="Look-alike", kind=K.SDPO, parent=sp_office, abbr="LOOK"
        )
        # Giving the short code up would number it SPVAI/… again: refused.
        with pytest.raises(ValidationError) as refused:
            _update(office, "")
        assert "give it a short code" in " ".join(refused.value.message_dict["abbr"])


@pytest.mark.parametrize("kind", sorted(NUMBERED))
def test_a_clash_that_got_past_the_office_checks_is_a_refusal_not_an_error(ef, kind):
    with district_context("vaishali"):
        number = NUMBERED[kind](ef, "clerk")
        # The codes swapped behind the service's back (as before the check existed).
        _force(ef.offices["sp-office"], "SPVX")
        _force(ef.offices["ef-sdpo-mahnar"], "SPVAI")
        counts = (Receipt.objects.count(), EFile.objects.count(), Dispatch.objects.count())
        with pytest.raises(ValidationError) as refused:
            NUMBERED[kind](ef, "mahnar")
        assert refused.value.code == "number_taken" and number in refused.value.messages[0]
        assert (Receipt.objects.count(), EFile.objects.count(), Dispatch.objects.count()) == counts
        # The refused number was given back: once the code is put right, numbering starts at 1.
        _force(ef.offices["ef-sdpo-mahnar"], "SDPOMNR")
        again = NUMBERED[kind](ef, "mahnar")
        assert again.startswith("SDPOMNR/") and again.endswith("/0001" if kind == "file" else "/000001")


def test_the_diarise_page_shows_a_clash_instead_of_failing(ef):
    with district_context("vaishali"):
        diarise(ef, "clerk")
        _force(ef.offices["sp-office"], "SPVX")
        _force(ef.offices["ef-sdpo-mahnar"], "SPVAI")
    data = {
        "received_on": timezone.localdate().isoformat(),
        "mode": "post",
        "sender": "DM Vaishali",
        "subject": "Flood duty",
    }
    page = ef.client("mahnar").post("/dak/new/", data)
    assert page.status_code == 200 and "is already used in this district" in page.content.decode()
    with district_context("vaishali"):
        assert Receipt.objects.count() == 1
