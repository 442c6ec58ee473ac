"""Error tracking with sentry-sdk, only where ``SENTRY_DSN`` is set; nothing is sent otherwise.

Each event is tagged with the district (its schema) and carries the person's id only (no name,
e-mail, address or cookie: ``data_collection`` without user info or bodies), and goes through
``scrub_event`` before it leaves: request headers (but a few harmless ones), cookies, body and
query string are dropped, and every value under a secret name (config.logging_json: password,
token, session, a document's text …) is replaced, in the extra data, breadcrumbs and each frame's
local variables.
"""

from __future__ import annotations

import logging

from django.conf import settings

from config.logging_json import SCRUBBED, context, scrub
from config.logging_requests import current_request, district_of, user_id_of

logger = logging.getLogger(__name__)


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """sentry's ``before_send``: the event tagged with the district and the person's id, without
    personal data or secrets. Runs in the thread that captured the error, so the request being
    answered (config.logging_requests.current_request) is the one the error happened in."""
    _tag(event)
    request = event.get("request")
    if isinstance(request, dict):
        for field in ("cookies", "data", "query_string", "env"):
            if field in request:
                request[field] = SCRUBBED
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {k: v for k, v in headers.items() if k.lower() in _SAFE_HEADERS}
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    for key in ("extra", "contexts"):
        if isinstance(event.get(key), dict):
            event[key] = scrub(event[key])
    crumbs = event.get("breadcrumbs")
    if isinstance(crumbs, dict) and isinstance(crumbs.get("values"), list):
        crumbs["values"] = [scrub(crumb) for crumb in crumbs["values"]]
    for exception in (event.get("exception") or {}).get("values") or []:
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            if isinstance(frame.get("vars"), dict):
                frame["vars"] = scrub(frame["vars"])
    return event


def _tag(event: dict) -> None:
    from django.db import connection

    tags = event.setdefault("tags", {})
    request = current_request.get()
    schema = getattr(connection, "schema_name", "") or ""
    if request is not None:
        tags.setdefault("district", district_of(request))
        tags.setdefault("request_id", getattr(request, "request_id", ""))
        user_id = user_id_of(request)
        if user_id:
            event["user"] = {"id": user_id}
    elif schema and schema != "public":
        tags.setdefault("district", schema)
    task = context_value("task_id")
    if task:
        tags.setdefault("task_id", task)


def context_value(name: str):

    return (context.get() or {}).get(name)


_SAFE_HEADERS = frozenset({"host", "user-agent", "accept-language", "x-request-id", "content-type"})


def sentry_init() -> bool:
    """Start the SDK where SENTRY_DSN is set (once per process); returns whether it did."""
    dsn = getattr(settings, "SENTRY_DSN", "")
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=settings.SENTRY_ENVIRONMENT,
        release=settings.SENTRY_RELEASE or None,
        # sentry-sdk 3's data_collection (2.x's send_default_pii=False): no user details, no
        # request bodies; scrub_event removes the rest.
        data_collection={"user_info": False, "http_bodies": []},
        before_send=scrub_event,
        traces_sample_rate=0.0,
        integrations=[DjangoIntegration()],
    )
    return True
