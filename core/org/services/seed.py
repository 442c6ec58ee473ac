"""What every new district starts with (called by provisioning, under the new district's schema)."""

from django.db import transaction

from core.letters.seed import letters_district_seed
from core.models import ADMIN_OFFICE_CODE, ADMIN_POST_CODE, Office, Post
from core.org.services.offices import (
    office_create,
)
from core.org.services.posts import post_create


@transaction.atomic
def district_seed(*, name: str, name_hi: str = "") -> Post:
    """What every new district starts with: its SP office and the district-admin post.

    Returns the district-admin post, which provisioning gives to the first district admin.
    """
    office = office_create(
        code=ADMIN_OFFICE_CODE,
        name=f"SP Office {name}",
        name_hi=f"एसपी कार्यालय {name_hi}".strip() if name_hi else "",
        kind=Office.Kind.SP_OFFICE,
        phase=1,
    )
    post = post_create(
        office=office,
        code=ADMIN_POST_CODE,
        title="District Administrator (e-Office)",
        title_hi="जिला प्रशासक (ई-ऑफिस)",
        kind=Post.Kind.DISTRICT_ADMIN,
    )
    # Its signing authority and its offices in the public directory of letters (core.letters).

    letters_district_seed()
    return post
