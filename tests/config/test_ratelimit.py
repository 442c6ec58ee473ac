"""Rate limits on search, downloads, uploads and writes, per person and per address, counted per
district, with a 429 page saying when to try again (issue 19, point 5)."""

import itertools
import json
from types import SimpleNamespace

import pytest

from config import ratelimit
from config.ratelimit_rules import RateLimitSettingError, Rule, parse_rules
from core.models import EFile
from tenants.context import district_context
from tests.helpers import HostClient

pytestmark = pytest.mark.django_db

# Each test counts in windows of its own length, so no count is left from another test (a run's
# cache keys carry its own prefix: config.settings_test).
_periods = itertools.count(1_000_000)


@pytest.fixture
def limits(settings):
    def set_limits(kind: str, *rules: tuple[int, str]) -> int:
        seconds = next(_periods)
        settings.KARYALAY_RATE_LIMITS = {
            **settings.KARYALAY_RATE_LIMITS,
            kind: tuple(Rule(count=count, seconds=seconds, scope=scope) for count, scope in rules),
        }
        return seconds

    return set_limits


def _refused(response, seconds: int) -> None:
    assert response.status_code == 429
    retry = int(response["Retry-After"])
    assert 1 <= retry <= seconds
    assert f"try again in {retry} second" in response.content.decode()


def test_search_is_limited_per_person(world, limits):
    seconds = limits("search", (3, "user"))
    client = HostClient("vaishali")
    client.sign_in("sdpo.mahua")
    for _ in range(3):
        assert client.get("/search/", {"q": "mahua"}).status_code == 200
    _refused(client.get("/search/", {"q": "mahua"}), seconds)
    # Another person on the same host still searches.
    other = HostClient("vaishali")
    other.sign_in("clerk.vaishali")
    assert other.get("/search/", {"q": "mahua"}).status_code == 200


def test_download_is_limited_per_person_and_the_page_speaks_hindi(world, limits):
    seconds = limits("download", (2, "user"))
    client = HostClient("vaishali", HTTP_ACCEPT_LANGUAGE="hi")
    client.sign_in("sdpo.mahua")
    for _ in range(2):
        assert client.get("/documents/987654/download/").status_code == 404
    response = client.get("/documents/987654/download/")
    assert response.status_code == 429 and 1 <= int(response["Retry-After"]) <= seconds
    assert 'lang="hi"' in response.content.decode()


def test_upload_is_limited_and_nothing_is_written(world, limits):
    seconds = limits("upload", (2, "user"))
    client = HostClient("vaishali")
    client.sign_in("sdpo.mahua")
    for _ in range(2):
        client.post("/documents/file/987654/upload/", {})
    _refused(client.post("/documents/file/987654/upload/", {}), seconds)


def test_a_write_is_limited_per_address_and_writes_nothing(world, limits):
    seconds = limits("write", (2, "ip"))
    with district_context("vaishali"):
        before = EFile.objects.count()
    first, second = (
        HostClient("vaishali", REMOTE_ADDR="203.0.113.9"),
        HostClient("vaishali", REMOTE_ADDR="203.0.113.9"),
    )
    first.sign_in("sdpo.mahua")
    second.sign_in("clerk.vaishali")  # sign-in posts are allauth's to count, not these
    assert first.post("/files/new/", {}).status_code != 429
    assert second.post("/files/new/", {}).status_code != 429
    _refused(second.post("/files/new/", {"subject": "Refused"}), seconds)
    with district_context("vaishali"):
        assert EFile.objects.count() == before
    # Another address is not held back.
    third = HostClient("vaishali", REMOTE_ADDR="203.0.113.10")
    third.sign_in("clerk.vaishali")
    assert third.post("/files/new/", {}).status_code != 429


def test_counts_are_per_district(world, limits):
    """The same address, spent in Vaishali, is untouched in Muzaffarpur (keys carry the schema)."""
    seconds = limits("search", (1, "ip"))
    vaishali = HostClient("vaishali", REMOTE_ADDR="198.51.100.7")
    vaishali.sign_in("sdpo.mahua")
    assert vaishali.get("/search/", {"q": "x"}).status_code == 200
    _refused(vaishali.get("/search/", {"q": "x"}), seconds)
    muzaffarpur = HostClient("muzaffarpur", REMOTE_ADDR="198.51.100.7")
    muzaffarpur.sign_in("sdpo.east")
    assert muzaffarpur.get("/search/", {"q": "x"}).status_code == 200


def test_people_without_a_posting_or_from_another_district_are_counted_by_address(world, limits):
    seconds = limits("search", (1, "ip"), (100, "user"))
    for login in ("no.posting", "sdpo.east"):
        client = HostClient("vaishali")
        client.sign_in(login)
        assert client.get("/search/", {"q": "x"}).status_code != 200  # never the page
        _refused(client.get("/search/", {"q": "x"}), seconds)


def test_the_client_ip_header_is_used_only_when_configured(world, limits, settings):
    seconds = limits("search", (1, "ip"))
    settings.KARYALAY_CLIENT_IP_HEADER = "X-Real-IP"
    client = HostClient("vaishali", REMOTE_ADDR="10.0.0.1")
    client.sign_in("sdpo.mahua")
    assert client.get("/search/", HTTP_X_REAL_IP="192.0.2.1").status_code == 200
    _refused(client.get("/search/", HTTP_X_REAL_IP="192.0.2.1"), seconds)
    assert client.get("/search/", HTTP_X_REAL_IP="192.0.2.2").status_code == 200
    # Garbage in the header: the connecting address is counted instead.
    assert client.get("/search/", HTTP_X_REAL_IP="'; DROP TABLE x; --").status_code == 200


def _request(method: str, url_name: str):
    return SimpleNamespace(method=method, resolver_match=SimpleNamespace(url_name=url_name))


def _view():
    return None


@pytest.mark.parametrize(
    ("method", "url_name", "kind"),
    [
        ("GET", "search", "search"),
        ("GET", "efile_document_download", "download"),
        ("GET", "efile_document_version_download", "download"),
        ("POST", "efile_document_upload", "upload"),
        ("POST", "efile_document_version_add", "upload"),
        ("POST", "uploads_tus", "upload"),
        ("PATCH", "uploads_tus_item", None),  # a chunk: the upload was counted when created
        ("HEAD", "uploads_tus_item", None),
        ("POST", "efile_file_create", "write"),
        ("DELETE", "anything", "write"),
        ("PUT", "anything", "write"),
        ("GET", "efile_file", None),
        ("POST", "account_login", None),  # allauth's own limits
        ("POST", "mfa_authenticate", None),
    ],
)
def test_kinds(method, url_name, kind):
    assert ratelimit.kind_of(_request(method, url_name), _view) == kind


def test_a_decorated_view_states_its_kind_or_is_exempt():
    @ratelimit.rate_limit("search")
    def api_search(request): ...

    @ratelimit.rate_limit_exempt
    def chunk(request): ...

    assert ratelimit.kind_of(_request("POST", "x"), api_search) == "search"
    assert ratelimit.kind_of(_request("PATCH", "x"), chunk) is None
    with pytest.raises(ValueError):
        ratelimit.rate_limit("everything")


@pytest.mark.parametrize(
    "raw",
    [
        "120",
        "120/m",
        "120/m/everyone",
        "0/m/user",
        "-1/m/ip",
        "1/0m/ip",
        "1/w/ip",
        "a/m/ip",
        "1/m/ip;2/m/user",
    ],
)
def test_bad_settings_are_refused_with_the_variables_name(raw):
    with pytest.raises(RateLimitSettingError, match="KARYALAY_RATE_LIMIT_SEARCH"):
        parse_rules("KARYALAY_RATE_LIMIT_SEARCH", raw)


def test_settings_parse():
    assert parse_rules("X", "120/m/user, 600/15m/ip,") == (
        Rule(count=120, seconds=60, scope="user"),
        Rule(count=600, seconds=900, scope="ip"),
    )
    assert parse_rules("X", "") == ()


def test_without_redis_the_file_cache_counts(world, limits, settings, tmp_path):
    """Local use (no REDIS_URL): the same limits through Django's add/incr on the file cache."""
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    seconds = limits("search", (2, "user"))
    client = HostClient("vaishali")
    client.sign_in("sdpo.mahua")
    for _ in range(2):
        assert client.get("/search/", {"q": "x"}).status_code == 200
    _refused(client.get("/search/", {"q": "x"}), seconds)
    assert list((tmp_path / "cache").iterdir())  # counted there, not in Redis


def test_the_api_gets_json_in_the_same_shape_as_its_errors(world, limits):
    from django.test import RequestFactory

    request = RequestFactory().post("/api/v1/files/")
    request.LANGUAGE_CODE = "en"
    response = ratelimit.too_many_requests(request, 7)
    assert response.status_code == 429 and response["Retry-After"] == "7"
    assert json.loads(response.content) == {
        "code": "rate_limited",
        "message": "Too many requests of this kind in a short time. Try again in 7 seconds.",
        "retry_after": 7,
    }
