"""Sessions: the host a session is bound to, and the nightly sweep of expired ones."""

import logging

from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from tenants.context import district_context, public_context
from tenants.models import STATUSES_WITH_SCHEMA, District

SESSION_HOST_KEY = "_karyalay_host"

logger = logging.getLogger(__name__)


def expired_sessions_clear_all() -> dict[str, int]:
    """Delete the expired sessions of the state console (public schema) and of every district
    that has a schema, each in its own session table. The CSRF token lives in the session, so
    every visitor who opens a sign-in page gets a row; nothing else removes the expired ones.

    A district that fails is logged and skipped; the others still run. Returns {schema: rows}.
    """
    now = timezone.now()
    removed: dict[str, int] = {}
    with public_context():
        removed[get_public_schema_name()] = Session.objects.filter(expire_date__lt=now).delete()[0]
        schemas = list(
            District.objects.filter(status__in=STATUSES_WITH_SCHEMA)
            .order_by("pk")
            .values_list("schema_name", flat=True)
        )
    for schema_name in schemas:
        try:
            with district_context(schema_name):
                removed[schema_name] = Session.objects.filter(expire_date__lt=now).delete()[0]
        except Exception:
            logger.exception("Expired sessions not cleared in district %s", schema_name)
    return removed
