"""A check on every response the test client gets, installed for the whole suite (conftest):
each response carries a Content-Security-Policy (the site's, or a stored file's stricter sandbox),
and whatever is served to a signed-in person is ``Cache-Control: no-store, private``."""

import functools

from django.test import Client


def check_response(response) -> None:
    policy = response.get("Content-Security-Policy", "")
    assert policy, f"no Content-Security-Policy on {response.wsgi_request.get_full_path()}"
    if response.get("Content-Type", "").startswith("text/html") and not policy.startswith("sandbox"):
        assert "frame-ancestors 'none'" in policy and "'unsafe-inline'" not in policy, policy
    user = getattr(response.wsgi_request, "user", None)
    if user is not None and user.is_authenticated:
        directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
        assert {"no-store", "private"} <= directives, (
            f"{response.wsgi_request.get_full_path()} served to a signed-in person may be cached: "
            f"Cache-Control {response.get('Cache-Control')!r}"
        )


def install() -> callable:
    """Wrap ``Client.request``; returns the function that undoes it."""
    original = Client.request

    @functools.wraps(original)
    def request(self, **kwargs):
        response = original(self, **kwargs)
        check_response(response)
        return response

    Client.request = request

    def uninstall() -> None:
        Client.request = original

    return uninstall
