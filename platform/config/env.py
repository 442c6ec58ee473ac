"""Small typed parsers for environment variables.

Every setting that a deployment can change is read here, once, through one of these
functions, so that a wrong value fails at start-up with the variable's name in the message
instead of somewhere deep inside a request.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_email_url(name: str) -> dict:
    """Parse ``smtp://user:password@host:port`` (``smtps://``: implicit TLS) into EMAIL_* settings.

    Empty means no mail server: the console backend prints mail instead (local use).
    """
    from urllib.parse import unquote, urlsplit

    raw = os.environ.get(name, "").strip()
    if not raw:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parts = urlsplit(raw)
    if parts.scheme not in ("smtp", "smtps", "smtp+tls") or not parts.hostname:
        raise ImproperlyConfigured(
            f"{name} must look like smtp://user:password@host:587; got scheme {parts.scheme!r}"
        )
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 587),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": parts.scheme != "smtps",
    }


def env_database_url(name: str) -> dict | None:
    """Parse ``postgres://user:password@host:port/name`` into a Django DATABASES entry's NAME,
    USER, PASSWORD, HOST and PORT; None when unset. A URL without a user or a database name is
    refused: a role split (KARYALAY_OWNER_DATABASE_URL) that silently fell back to the
    connecting system user would not be a split."""
    import dj_database_url

    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if not raw.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured(f"{name} must be a postgres:// or postgresql:// URL")
    parsed = dj_database_url.parse(raw)
    if not parsed.get("USER") or not parsed.get("NAME"):
        raise ImproperlyConfigured(f"{name} must name a user and a database (postgres://user@host/name)")
    return {key: parsed.get(key) or "" for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")}
