"""The API's rate limits are the pages' (``config.ratelimit``): the same counters, kinds and
settings (``KARYALAY_RATE_LIMIT_<KIND>``), counted after the token or session is known, so a
token's person is counted as the person, as on the pages. Over a limit: 429, ``Retry-After``, the
JSON error (``config.api.errors``). The API's views are exempt from the middleware's count
(``exempt_from_page_limits``), so that no request is counted twice or answered with the HTML page.

Kinds: a view's ``rate_limit_kind`` (search, download, upload), else any unsafe method is a write;
reads of trays and records are not limited, as on the pages.
"""

from rest_framework.throttling import BaseThrottle

from config.ratelimit import rate_limit_exempt, rate_limit_hit

_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def kind_for(request, view) -> str | None:
    kind = getattr(view, "rate_limit_kind", None)
    if kind:
        return kind
    return "write" if request.method in _UNSAFE else None


class PageLimitsThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        kind = kind_for(request, view)
        self._wait = rate_limit_hit(request, kind) if kind else None
        return self._wait is None

    def wait(self):
        return self._wait


def exempt_from_page_limits(urlpatterns) -> list:
    """Mark every view of ``urlpatterns`` (and included lists) exempt from the middleware's count."""
    for pattern in urlpatterns:
        if hasattr(pattern, "url_patterns"):
            exempt_from_page_limits(pattern.url_patterns)
        elif getattr(pattern, "callback", None) is not None:
            rate_limit_exempt(pattern.callback)
    return urlpatterns
