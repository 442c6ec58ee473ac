"""An inspector posted to Mahua thana through the district admin's service (``officer_add``), with
a service number and a name in both scripts: the person the directory and the search tests find."""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from core.models import Post
from core.org import services as core_services
from core.org.services.officers import officer_add
from tenants.context import district_context

SERVICE_NUMBER = "BR/2011/4471"
NAME, NAME_HI = "Sunita Kumari", "सुनीता कुमारी"
POST_HI = "निरीक्षक महुआ"
A_MONTH_AGO = timezone.localdate() - datetime.timedelta(days=30)


def inspector_post(ef, *, code: str = "ef-insp-mahua") -> Post:
    with district_context("vaishali"):
        return core_services.post_create(
            office=ef.offices["ef-thana-mahua"],
            code=code,
            title="Inspector Mahua",
            title_hi=POST_HI,
            kind=Post.Kind.INSPECTOR,
        )


def inspector_add(ef) -> SimpleNamespace:
    """The inspector, posted a month ago (audited as the SP's act: the service does not check who
    acts; the district admin's views do)."""
    post = inspector_post(ef)
    with district_context("vaishali"):
        posting = officer_add(
            actor=ef.actor("sp"),
            login_id="sunita.kumari",
            full_name=NAME,
            full_name_hi=NAME_HI,
            rank="Inspector of Police",
            service_number=SERVICE_NUMBER,
            mobile="9876543210",
            email="sunita.kumari@example.org",
            post=post,
            starts_on=A_MONTH_AGO,
        )
    return SimpleNamespace(person=posting.person, post=post, posting=posting)
