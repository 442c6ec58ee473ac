"""Sign-out deletes what the browser kept for the person: Clear-Site-Data on the response that
signed them out (the worker also deletes its copies when offline.js tells it)."""

from tests.core.efile.conftest import ef  # noqa: F401 (fixture)
from tests.helpers import HostClient


def test_signing_out_answers_clear_site_data_for_cache_and_storage(ef):  # noqa: F811
    client = ef.client("clerk")
    page = client.get("/inbox/")
    assert "Clear-Site-Data" not in page  # an ordinary page keeps the saved copy
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "no-store" in response["Cache-Control"]
    assert client.get("/inbox/").status_code == 302  # signed out indeed


def test_no_clear_site_data_for_someone_who_was_not_signed_in(world, db):
    client = HostClient("vaishali")
    assert "Clear-Site-Data" not in client.get("/accounts/login/")
    assert "Clear-Site-Data" not in client.post("/accounts/logout/")


def test_the_sign_out_form_is_marked_for_offline_js(ef):  # noqa: F811
    html = ef.client("clerk").get("/inbox/").content.decode()
    assert "data-offline-signout" in html and "offline/offline.js" in html
