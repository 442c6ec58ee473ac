import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "n7#Vq2!pZ8rT4w@L0xK9mB3yF6hJ1dS5aG8cE2uW7iO4tR9pQ3zX",
    "DATABASE_URL": "postgresql://karyalay_app:secret@db.internal:5432/karyalay",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "KARYALAY_ROOT_DOMAIN": "karyalay.bihar.gov.in",
    "EMAIL_URL": "smtp://karyalay:secret@smtp.bihar.gov.in:587",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}


def _check_deploy(**overrides: str) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ.get("PATH", ""), **PRODUCTION, **overrides}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_has_no_warnings_with_production_settings():
    result = _check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_refuses_relaxed_mfa_in_production():
    result = _check_deploy(KARYALAY_RELAX_MFA="1")
    assert result.returncode != 0
    assert "karyalay.E001" in result.stderr + result.stdout


def test_check_deploy_warns_about_a_localhost_root_domain():
    result = _check_deploy(KARYALAY_ROOT_DOMAIN="localhost")
    assert result.returncode != 0
    assert "karyalay.W001" in result.stderr + result.stdout


def test_check_deploy_warns_when_the_site_connects_as_another_role_than_the_app_role():
    # The superuser (or the owner) could disable the audit trail's triggers; the app role cannot.
    result = _check_deploy(DATABASE_URL="postgresql://postgres:secret@db.internal:5432/karyalay")
    assert result.returncode != 0
    assert "karyalay.W004" in result.stderr + result.stdout
    owner = "postgresql://karyalay_owner:secret@db.internal:5432/karyalay"
    result = _check_deploy(KARYALAY_OWNER_DATABASE_URL=owner)  # the worker's pair of URLs: no warning
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _check_deploy(SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_warns_about_a_plain_http_identity_provider():
    sso = {
        "KARYALAY_OIDC_CLIENT_ID": "karyalay",
        "KARYALAY_OIDC_CLIENT_SECRET": "secret-from-the-environment",
    }
    result = _check_deploy(KARYALAY_OIDC_SERVER_URL="http://sso.bihar.gov.in/realms/police", **sso)
    assert result.returncode != 0
    assert "karyalay.W005" in result.stderr + result.stdout
    result = _check_deploy(KARYALAY_OIDC_SERVER_URL="https://sso.bihar.gov.in/realms/police", **sso)
    assert result.returncode == 0, result.stdout + result.stderr
