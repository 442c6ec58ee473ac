import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def test_check_deploy_has_no_warnings_with_production_settings():
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DEBUG": "0",
        "SECRET_KEY": "n7#Vq2!pZ8rT4w@L0xK9mB3yF6hJ1dS5aG8cE2uW7iO4tR9pQ3zX",
        "DATABASE_URL": "postgresql://karyalay@db.internal:5432/karyalay",
        "REDIS_URL": "redis://redis.internal:6379/0",
        "KARYALAY_ROOT_DOMAIN": "karyalay.bihar.gov.in",
        "EMAIL_URL": "smtp://karyalay:secret@smtp.bihar.gov.in:587",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_refuses_relaxed_mfa_in_production():
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DEBUG": "0",
        "SECRET_KEY": "n7#Vq2!pZ8rT4w@L0xK9mB3yF6hJ1dS5aG8cE2uW7iO4tR9pQ3zX",
        "DATABASE_URL": "postgresql://karyalay@db.internal:5432/karyalay",
        "REDIS_URL": "redis://redis.internal:6379/0",
        "KARYALAY_ROOT_DOMAIN": "karyalay.bihar.gov.in",
        "KARYALAY_RELAX_MFA": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "karyalay.E001" in result.stderr + result.stdout
