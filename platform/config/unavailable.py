"""The page for a database that cannot take one more request: 503, never 500.

When every connection of the process's pool is in use for ``KARYALAY_DB_POOL_TIMEOUT`` seconds
(psycopg_pool's ``PoolTimeout``), or the server refuses a new connection because it has no slot
left ("too many clients"), the request fails with a database error wherever it first touched the
database, often in a middleware before the view. Django then calls the URLconf's ``handler500``
(both URLconfs name ``server_error`` below), which answers such an error with a 503 page that
asks to try again shortly, in the reader's language, and any other error with the ordinary 500.

The page is rendered without a request context: no context processor, session or account may
reach for the database that just refused. The language comes from the language cookie or the
browser's Accept-Language (``get_language_from_request``, no database).
"""

from __future__ import annotations

import sys

from django.db import OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.views.defaults import server_error as django_server_error
from psycopg_pool import PoolTimeout

# How long a client is asked to wait before it tries again.
RETRY_AFTER_SECONDS = 5
# What the server says when it has no connection slot left (SQLSTATE 53300 on connect carries
# no diagnostics object, so the text is what there is).
_NO_SLOT = ("too many clients already", "remaining connection slots are reserved")
# What a Citus coordinator says when the worker holding the district cannot be reached (issue 21:
# a stopped node; SQLSTATE 08006 from the coordinator, whose own connection is fine). The
# district is then "temporarily unavailable"; the others, on other workers, keep working.
_NODE_DOWN = ("connection to the remote node",)


def _node_down(error: BaseException | None) -> bool:
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OperationalError) and any(text in str(error) for text in _NODE_DOWN):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error`` (or an error it was raised from) says the database had no connection
    for this request: the pool exhausted, or the server full, or (Citus) the district's node down."""
    if _node_down(error):
        return True
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, PoolTimeout):
            return True
        if isinstance(error, OperationalError) and any(text in str(error) for text in _NO_SLOT):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def service_unavailable(request, *, node_down: bool = False) -> HttpResponse:
    """The 503 page in the reader's language, with Retry-After: "busy", or, with ``node_down``,
    "temporarily unavailable" (the database node that holds the district is not reachable)."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        html = render_to_string(
            "503.html",
            {
                "retry_after": RETRY_AFTER_SECONDS,
                "language": translation.get_language(),
                "node_down": node_down,
            },
        )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name: str = "500.html") -> HttpResponse:
    """``handler500``: a 503 page when the database had no connection to give, else Django's."""
    error = sys.exc_info()[1]
    if database_unavailable(error):
        return service_unavailable(request, node_down=_node_down(error))
    return django_server_error(request, template_name=template_name)
