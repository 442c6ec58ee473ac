"""What the signed-in person may do on this district's host, read once per request.

The access gate, the MFA rule and the district-admin screens all need the person's posts here
and whether they are deactivated; this keeps it to one query per request, whoever asks first.
"""

from core.models import Post
from core.org.selectors.postings import person_access_here


def request_access(request) -> tuple[frozenset[str], bool]:
    """(kinds of the posts the signed-in person holds here today, deactivated here)."""
    user = request.user
    cached = getattr(request, "_karyalay_access", None)
    if cached is None or cached[0] != user.pk:
        cached = request._karyalay_access = (user.pk, *person_access_here(person_id=user.pk))
    return cached[1], cached[2]


def request_is_district_admin(request) -> bool:
    kinds, blocked = request_access(request)
    return not blocked and Post.Kind.DISTRICT_ADMIN in kinds
