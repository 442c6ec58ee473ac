"""Seeding (provisioning, office templates, the demo: ``office_create`` without an actor) checks a
new office's short code as the district admin's form does, so numbers cannot collide whoever made
the office. Re-running a seed still returns the office it made."""

import pytest
from django.core.exceptions import ValidationError

from core.models import Office
from core.org import services
from tenants.context import district_context
from tests.core.efile.test_receipts import diarise

K = Office.Kind


@pytest.mark.parametrize(
    ("code", "abbr", "says"),
    [
        ("seed-one", "SPVAI", "Another office uses the short code SPVAI."),  # the SP office's
        ("seed-two", "sdpomnr", "Another office uses the short code SDPOMNR."),  # any case
        ("seed-three", "S", "2 to 12 Latin capital letters"),
        ("spvai", "", "give it a short code"),  # its code in capitals is another's short code
    ],
)
def test_a_seeded_office_may_not_take_anothers_short_code(ef, code, abbr, says):
    with district_context("vaishali"):
        with pytest.raises(ValidationError) as refused:
            services.office_create(code=code, name="Seeded", kind=K.THANA, parent=None, abbr=abbr)
        assert says in " ".join(refused.value.message_dict["abbr"])
        assert not Office.objects.filter(code=code).exists()


def test_a_seeded_office_may_not_number_under_a_code_given_up(ef):
    with district_context("vaishali"):
        diarise(ef, "clerk")  # SPVAI/…
        Office.objects.filter(code="sp-office").update(abbr="SPVX")
        with pytest.raises(ValidationError) as refused:
            services.office_create(code="seed-old", name="Seeded", kind=K.OTHER, abbr="SPVAI")
        assert "was used by another office before" in " ".join(refused.value.message_dict["abbr"])


def test_seeding_a_free_short_code_and_seeding_again_work(ef):
    with district_context("vaishali"):
        office = services.office_create(code="seed-free", name="Seeded", kind=K.OTHER, abbr=" newc ")
        assert office.abbr == "NEWC"
        again = services.office_create(code="seed-free", name="Seeded", kind=K.OTHER, abbr="SPVAI")
        assert again.pk == office.pk and again.abbr == "NEWC"
        # An office of another code with no short code whose capitals are free is fine.
        assert services.office_create(code="seed-plain", name="Plain", kind=K.OTHER).abbr == ""
