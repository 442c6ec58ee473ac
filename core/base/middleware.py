"""Recording who used a district on which day (the "active officers" figure of the rollup)."""

from django.utils import timezone

from core.models import ActiveDay

SESSION_ACTIVE_DAY_KEY = "karyalay_active_day"


class ActivityMiddleware:
    """On a district's host, records ``ActiveDay(person, today)`` for a signed-in person, at most
    once per day per session: the day is remembered in the session, so later requests that day
    make no query. The insert ignores a row that another session already wrote.

    Goes after ``config.middleware.AccessGateMiddleware``: only people allowed on the host reach
    it, so a refused sign-in never counts. The root domain (state console) records nothing, and
    nor does a district that is not live: an archived district is read-only, activity included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        if getattr(tenant, "is_live", False) and request.user.is_authenticated:
            today = timezone.localdate()
            if request.session.get(SESSION_ACTIVE_DAY_KEY) != today.isoformat():
                ActiveDay.objects.bulk_create(
                    [ActiveDay(person=request.user, day=today)], ignore_conflicts=True
                )
                request.session[SESSION_ACTIVE_DAY_KEY] = today.isoformat()
        return self.get_response(request)
