"""Rate limits on search, downloads, uploads and every write, per person and per address.

Four kinds (config.ratelimit_rules, ``KARYALAY_RATE_LIMIT_<KIND>``): ``search``, ``download``,
``upload``, ``write``. ``RateLimitMiddleware`` decides the kind of each request from its view:

1. a view decorated with ``rate_limit("<kind>")`` is that kind; ``rate_limit_exempt`` is none
   (a resumable upload's chunks: the upload is counted once, when it is created);
2. else the URL name: ``search*`` is a search, ``*download*`` a download, ``*_upload``,
   ``*_version_add`` and the tus collection (POST) an upload;
3. else any POST, PUT, PATCH or DELETE is a write, but for sign-in and MFA pages (allauth counts
   those itself, over every host: settings.ACCOUNT_RATE_LIMITS).

Counting: a fixed window per rule, a counter in the project's cache whose key carries the kind,
the scope, the person's id or the address, the window and (through the cache's key function,
tenants.cache) the district's schema: a district's traffic never uses another's allowance. Past a
limit: the 429 page in the reader's language, "try again in N s", with ``Retry-After``.

The REST API (and any other caller) uses the same counters: ``rate_limit_hit(request, kind)``
gives the seconds to wait or None, ``too_many_requests(request, seconds)`` the page, and the
``rate_limit`` decorator marks a view.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from config.metrics import RATE_LIMITED
from config.ratelimit_rules import KINDS

_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_OWN_LIMITS = ("account_", "mfa_")  # allauth's pages: counted by allauth
_EXEMPT = object()
ATTRIBUTE = "karyalay_rate_limit"


def rate_limit(kind: str | None) -> Callable:
    """Mark a view as ``kind`` (one of config.ratelimit_rules.KINDS), or None: not limited."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"rate_limit kind must be one of {KINDS}; got {kind!r}")

    def decorator(view):
        setattr(view, ATTRIBUTE, _EXEMPT if kind is None else kind)
        return view

    return decorator


rate_limit_exempt = rate_limit(None)


def client_address(request) -> str:
    """The proxy's header where configured (KARYALAY_CLIENT_IP_HEADER), else REMOTE_ADDR."""
    header = settings.KARYALAY_CLIENT_IP_HEADER
    value = (request.headers.get(header) or "").strip() if header else ""
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return request.META.get("REMOTE_ADDR") or "unknown"


def kind_of(request, view_func) -> str | None:
    marked = getattr(view_func, ATTRIBUTE, None)
    if marked is _EXEMPT:
        return None
    if marked:
        return marked
    match = getattr(request, "resolver_match", None)
    name = (match.url_name if match else "") or ""
    if name.startswith(_OWN_LIMITS):
        return None
    if name.startswith("search"):
        return "search"
    if "download" in name:
        return "download"
    if request.method in _UNSAFE and (name.endswith(("_upload", "_version_add")) or name == "uploads_tus"):
        return "upload"
    if name == "uploads_tus_item":  # a chunk of an upload already counted when it was created
        return None
    if request.method in _UNSAFE:
        return "write"
    return None


def _user_id(request) -> int | None:
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


def _hit_cache(key: str, seconds: int) -> int:
    """Add one to the window's counter in any Django cache; returns the new count."""
    if cache.add(key, 1, timeout=seconds + 1):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=seconds + 1)
        return 1


def _redis_client():
    """Redis' own client where the cache is Django's RedisCache, else None."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]  # ``cache`` is a proxy: isinstance needs the backend itself
    return backend._cache.get_client(write=True) if isinstance(backend, RedisCache) else None


def _hits(counters: list[tuple[str, int]]) -> list[int]:
    """Count one request in every (key, seconds) window: on Redis, INCR and EXPIRE of them all in
    one round trip (the key made by the cache's key function: it carries the district's schema);
    on another cache, Django's add/incr."""
    client = _redis_client()
    if client is None:
        return [_hit_cache(key, seconds) for key, seconds in counters]
    pipe = client.pipeline(transaction=False)
    for key, seconds in counters:
        full = cache.make_and_validate_key(key)
        pipe.incr(full)
        pipe.expire(full, seconds + 1, nx=True)
    results = pipe.execute()
    return [int(count) for count in results[::2]]


def rate_limit_hit(request, kind: str) -> int | None:
    """Count this request against ``kind``'s rules; the seconds to wait if any rule is past its
    limit (the longest such wait), else None."""
    rules = settings.KARYALAY_RATE_LIMITS.get(kind, ())
    now = time.time()
    user_id = _user_id(request)
    counted = []
    for rule in rules:
        if rule.scope == "user":
            if user_id is None:
                continue
            who = f"u{user_id}"
        else:
            who = f"a{client_address(request)}"
        window = int(now // rule.seconds)
        counted.append((rule, window, f"ratelimit:{kind}:{rule.scope}:{rule.seconds}:{who}:{window}"))
    if not counted:
        return None
    counts = _hits([(key, rule.seconds) for rule, _window, key in counted])
    wait = None
    for (rule, window, _key), count in zip(counted, counts, strict=True):
        if count > rule.count:
            left = max(1, math.ceil((window + 1) * rule.seconds - now))
            wait = max(wait or 0, left)
            RATE_LIMITED.labels(kind=kind, scope=rule.scope).inc()
    return wait


def too_many_requests(request, retry_after: int) -> HttpResponse:
    """The 429 page in the reader's language (the language middleware ran before), Retry-After."""
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(request)
    if request.path.startswith("/api/"):
        return _too_many_requests_json(language, retry_after)
    with translation.override(language):
        # allauth's sign-in limits render the same page, without a wait.
        html = render_to_string("429.html", {"retry_after": retry_after}, request=request)
    response = HttpResponse(html, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store, private"
    return response


def _too_many_requests_json(language: str, retry_after: int) -> HttpResponse:
    """The REST API's shape of the answer (config.api.errors: {code, message})."""
    from django.http import JsonResponse

    with translation.override(language):
        message = translation.ngettext(
            "Too many requests of this kind in a short time. Try again in %(seconds)d second.",
            "Too many requests of this kind in a short time. Try again in %(seconds)d seconds.",
            retry_after,
        ) % {"seconds": retry_after}
    body = {"code": "rate_limited", "message": message, "retry_after": retry_after}
    response = JsonResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store, private"
    return response


class RateLimitMiddleware:
    """Counts each request against its kind's limits before the view runs (see the module
    docstring). Goes after the authentication, session, language and access-gate middleware: it
    needs the person and the district, and answers in the person's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        kind = kind_of(request, view_func)
        if kind is None:
            return None
        wait = rate_limit_hit(request, kind)
        if wait is None:
            return None
        return too_many_requests(request, wait)
