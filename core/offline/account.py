"""The id that names one signed-in session's saved pages in the browser's Cache Storage.

Random and per session, never the person's id or name: a new sign-in (by anyone) gets a new id,
so the service worker, seeing a page with another id, drops every copy saved under the old one
before saving anything (static/offline/sw.js, ``accountUse``). A shared PC never shows a page
saved for the previous person, even where the sign-out's Clear-Site-Data did not arrive."""

from __future__ import annotations

import secrets

SESSION_KEY = "karyalay_offline_account"


def offline_account(request) -> str:
    """The session's id, made on the first page of a signed-in session on a district's host;
    "" for anyone not signed in, and on the state console (no officer's inbox there)."""
    user = getattr(request, "user", None)
    tenant = getattr(request, "tenant", None)
    if user is None or not user.is_authenticated or not getattr(tenant, "slug", ""):
        return ""
    session = request.session
    value = session.get(SESSION_KEY)
    if not value:
        value = secrets.token_urlsafe(18)
        session[SESSION_KEY] = value
    return value
