"""What the signed-in person may do on this district's host, read once per request.

The access gate, the MFA rule and the district-admin screens all need the person's posts here
and whether they are deactivated; this keeps it to one query per request, whoever asks first.
"""

from core.base.access import posting_rows_remember
from core.models import Post
from core.org.selectors.postings import person_access_rows


def request_access(request) -> tuple[frozenset[str], bool]:
    """(kinds of the posts the signed-in person holds here today, deactivated here). The same
    query's postings are kept for the e-File viewer (``core.base.access.viewer_of``), which
    would otherwise read them again."""
    user = request.user
    cached = getattr(request, "_karyalay_access", None)
    if cached is None or cached[0] != user.pk:
        rows, blocked = person_access_rows(person_id=user.pk)
        posting_rows_remember(request, person_id=user.pk, rows=rows)
        cached = request._karyalay_access = (user.pk, frozenset(row[1] for row in rows), blocked)
    return cached[1], cached[2]


def request_is_district_admin(request) -> bool:
    kinds, blocked = request_access(request)
    return not blocked and Post.Kind.DISTRICT_ADMIN in kinds
