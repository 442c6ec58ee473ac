"""Per-person request limits of the API, kept in the project's cache (Redis in production), per
host: ``KARYALAY_API_RATE`` (600 a minute by default). Over the limit: 429 with Retry-After."""

from rest_framework.throttling import SimpleRateThrottle


class PersonRateThrottle(SimpleRateThrottle):
    scope = "person"

    def get_cache_key(self, request, view):
        user = request.user
        ident = f"p{user.pk}" if user and user.is_authenticated else f"ip{self.get_ident(request)}"
        host = getattr(request.tenant, "schema_name", "public")
        return f"api-throttle:{host}:{ident}"
