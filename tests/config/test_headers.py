"""Content-Security-Policy on every page, templates that need no inline script or style, and
``Cache-Control: no-store, private`` on what is served behind sign-in and on the sign-in pages."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from config.headers import CONTENT_SECURITY_POLICY
from tests.helpers import HostClient
from tests.security_headers import check_response

PROJECT = Path(settings.BASE_DIR)


def _directives(policy: str) -> dict[str, str]:
    return dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip())


def test_the_policy_runs_no_inline_script_and_is_never_framed():
    policy = _directives(CONTENT_SECURITY_POLICY)
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'" and policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY and "*" not in CONTENT_SECURITY_POLICY


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("host", "path"),
    [
        ("vaishali", "/accounts/login/"),
        ("vaishali", "/"),
        (None, "/accounts/login/"),
        ("nowhere", "/"),  # answered by the district middleware itself
        ("vaishali", "/no-such-page/"),
    ],
)
def test_anonymous_pages_carry_the_policy(world, host, path):
    response = HostClient(host).get(path)
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


@pytest.mark.django_db
def test_signed_in_pages_carry_the_policy_and_are_not_stored(world, vaishali_client):
    vaishali_client.sign_in("sdpo.mahua")
    for path in ("/", "/search/?q=mahua"):
        response = vaishali_client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert {"no-store", "private"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    signed_out = vaishali_client.post("/accounts/logout/")
    assert "no-store" in signed_out["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password/reset/"])
def test_sign_in_pages_are_not_stored(world, vaishali_client, path):
    response = vaishali_client.get(path)
    assert response.status_code == 200
    assert {"no-store", "private"} <= {d.strip() for d in response["Cache-Control"].split(",")}


@pytest.mark.django_db
def test_the_sign_in_answer_and_the_totp_step_are_not_stored(world):
    client = HostClient("vaishali")
    response = client.post("/accounts/login/", {"login": "vaishali.admin", "password": "wrong-password-1"})
    assert "no-store" in response["Cache-Control"]
    step = client.sign_in("vaishali.admin")
    assert step.status_code == 302 and "no-store" in step["Cache-Control"]


@pytest.mark.django_db
def test_the_suite_wide_check_refuses_a_page_without_the_headers(world, vaishali_client):
    """The check conftest runs on every response fails on what it must catch."""
    vaishali_client.sign_in("sdpo.mahua")
    response = vaishali_client.get("/")
    del response["Content-Security-Policy"]
    with pytest.raises(AssertionError, match="Content-Security-Policy"):
        check_response(response)
    response = vaishali_client.get("/")
    response["Cache-Control"] = "max-age=600"
    with pytest.raises(AssertionError, match="may be cached"):
        check_response(response)


# --- templates: nothing the policy would block ---------------------------------------------------

_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)(?![^>]*\btype\s*=\s*[\"']application/json)", re.I)
_EVENT_HANDLER = re.compile(r"<[a-z][^>]*?\son[a-z]+\s*=", re.I)
_STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*?\sstyle\s*=", re.I)
_STYLE_BLOCK = re.compile(r"<style\b", re.I)
_JAVASCRIPT_URL = re.compile(r"javascript:", re.I)


def _inline_code(text: str) -> list[str]:
    found = []
    for name, pattern in (
        ("inline <script>", _INLINE_SCRIPT),
        ("event-handler attribute", _EVENT_HANDLER),
        ("style attribute", _STYLE_ATTRIBUTE),
        ("<style> block", _STYLE_BLOCK),
        ("javascript: URL", _JAVASCRIPT_URL),
    ):
        found += [f"{name}: {match.group(0)[:60]!r}" for match in pattern.finditer(text)]
    return found


def _project_templates() -> list[Path]:
    roots = (
        [PROJECT / "templates"]
        + [path for path in PROJECT.glob("*/templates") if path.is_dir()]
        + [path for path in (PROJECT / "platform").glob("*/templates") if path.is_dir()]
    )
    return sorted({file for root in roots for file in root.rglob("*.html")})


def test_the_finder_catches_what_the_policy_blocks():
    assert _inline_code("<script>alert(1)</script>")
    assert _inline_code('<SCRIPT type="text/javascript">x()</SCRIPT>')
    assert _inline_code('<button type="button" onclick="window.print()">')
    assert _inline_code("<img src=x onerror=alert(1)>")
    assert _inline_code('<td style="padding-left: 1em">')
    assert _inline_code("<style>p { color: red }</style>")
    assert _inline_code('<a href="javascript:alert(1)">')
    assert not _inline_code('<script src="/static/karyalay.js" defer></script>')
    assert not _inline_code('<script type="application/json" id="data">{}</script>')
    assert not _inline_code('<button type="button" data-print class="one">')


def test_no_template_has_inline_script_handlers_or_styles():
    templates = _project_templates()
    assert len(templates) > 50
    found = {
        str(path.relative_to(PROJECT)): problems
        for path in templates
        if (problems := _inline_code(path.read_text(encoding="utf-8")))
    }
    assert not found, found


def test_the_pages_scripts_are_static_files():
    for name in ("karyalay.js", "imports-progress.js", "onboarding.js"):
        assert (PROJECT / "static" / name).is_file(), name
