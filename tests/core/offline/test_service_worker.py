"""The service worker's script at a district host's root, and the per-session id that names the
browser's saved copy (issue 18.4)."""

import re

from config.headers import CONTENT_SECURITY_POLICY
from tests.core.efile.conftest import ef  # noqa: F401 (fixture)
from tests.helpers import HostClient, sign_in_refused

ACCOUNT = re.compile(r'<html[^>]* data-offline-account="([A-Za-z0-9_-]+)"')


def _account(page) -> str | None:
    found = ACCOUNT.search(page.content.decode())
    return found.group(1) if found else None


def test_the_worker_is_served_at_the_root_with_its_scope_and_no_cache_headers(world, db):
    response = HostClient("vaishali").get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    # The pages' policy allows it: a worker's script falls back to script-src 'self'.
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY and "worker-src" not in CONTENT_SECURITY_POLICY
    body = response.content.decode()
    assert "karyalay-offline-" in body and "caches" in body
    assert HostClient("vaishali").head("/sw.js").status_code == 200  # offline.js's link check


def test_the_worker_is_not_on_the_state_consoles_host_and_takes_no_post(world, db):
    assert HostClient(None).get("/sw.js").status_code == 404
    assert HostClient("vaishali").post("/sw.js").status_code == 405


def test_a_signed_in_page_names_a_random_id_per_session_never_the_persons_id(ef):  # noqa: F811
    first, second = ef.client("clerk"), ef.client("clerk")
    one = _account(first.get("/inbox/"))
    assert one and len(one) >= 24
    assert _account(first.get("/")) == one  # the same session keeps its id
    assert _account(second.get("/inbox/")) not in {None, one}  # another session of the same person
    assert _account(ef.client("sdpo").get("/inbox/")) not in {None, one}
    assert str(ef.people["clerk"].pk) != one and ef.people["clerk"].login_id not in one
    # Signed out and in again: a new id (the worker then drops what was saved under the old one).
    first.post("/accounts/logout/")
    first.sign_in(ef.people["clerk"].login_id)
    assert _account(first.get("/inbox/")) not in {None, one}


def test_nobody_signed_out_and_no_page_of_the_state_console_names_an_id(world, db):
    page = HostClient("vaishali").get("/accounts/login/")
    assert page.status_code == 200 and _account(page) is None
    assert "offline/offline.js" not in page.content.decode()
    staff = HostClient(None)
    staff.sign_in(world.staff.login_id)
    assert _account(staff.get("/")) is None


def test_the_reading_offline_page_is_for_signed_in_officers_of_the_district_only(ef):  # noqa: F811
    page = ef.client("clerk").get("/offline/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-offline-clear" in html and "data-offline-missing hidden" in html
    assert '<meta name="karyalay-offline" content="">' in html  # saved: the worker's fallback page
    anonymous = HostClient("vaishali").get("/offline/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    for login in ("ef.other", "no.posting"):  # another district's officer, a person with no posting
        client = HostClient("vaishali")
        assert sign_in_refused(client.sign_in(login))
        refused = client.get("/offline/")
        assert refused.status_code in (302, 403, 404) and b"data-offline-clear" not in refused.content
