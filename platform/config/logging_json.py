"""Log lines an operator can search: JSON in production, one readable line locally.

Every record carries the time, the level, the logger, and where it is known the request id, the
district (its schema), the signed-in person's id and, in a huey task, the task's id and name
(``context`` below: set by ``config.logging_requests`` for a request and by ``config.metrics_huey``
for a task). The format is chosen once, in settings: JSON when DEBUG is off or
``KARYALAY_LOG_FORMAT=json``, the readable line otherwise (``KARYALAY_LOG_FORMAT=text`` forces it).

``ScrubFilter`` sits on the handler, so no record reaches any output before it has been through
it: values under names that hold secrets (password, token, session key, cookie, authorization,
CSRF token, a document's text…) are replaced with ``[scrubbed]`` wherever they appear: in the
record's extra fields (nested dicts and lists too), in its message arguments, and in ``key=value``
or ``"key": "value"`` pairs inside the formatted message.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import traceback
from typing import Any

# Set per request or per task; read by every record. One dict, replaced (never mutated) per
# scope, so a thread or task never sees another's values.
context: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "karyalay_log_context", default=None
)

SCRUBBED = "[scrubbed]"
# Names whose values never reach a log: these anywhere in a lower-cased key ...
SECRET_PARTS = (
    "password",
    "passwd",
    "secret",
    "token",
    "session",
    "cookie",
    "authorization",
    "csrf",
    "api_key",
    "apikey",
    "recovery_code",
    "dsn",
)
# ... and these as a whole word of it (``text``, ``page_text``, not ``context``): a document's or
# page's text (OCR, notes, drafts), a one-time code, a request body.
SECRET_WORDS = frozenset({"text", "content", "body", "otp", "totp", "pin"})
_WORD_SPLIT = re.compile(r"[_\-.]+")
_PAIR = re.compile(
    r"""(?P<key>["']?(?P<name>[A-Za-z_][A-Za-z0-9_\-]*)["']?\s*[:=]\s*)"""
    r"""(?P<value>"[^"]*"|'[^']*'|[^\s,;&}]+)"""
)
# The record's own attributes: everything else on a record came from ``extra=``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def is_secret_name(name: str) -> bool:
    lowered = name.lower()
    if any(part in lowered for part in SECRET_PARTS):
        return True
    return any(word in SECRET_WORDS for word in _WORD_SPLIT.split(lowered))


def scrub(value: Any, *, depth: int = 0) -> Any:
    """A copy of ``value`` with the values under secret names replaced (dicts, lists, tuples)."""
    if depth > 8:
        return value
    if isinstance(value, dict):
        return {
            k: (SCRUBBED if isinstance(k, str) and is_secret_name(k) else scrub(v, depth=depth + 1))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(scrub(v, depth=depth + 1) for v in value)
    if isinstance(value, str):
        return scrub_text(value)
    return value


def scrub_text(text: str) -> str:
    """``password=hunter2`` / ``"token": "abc"`` / ``sessionid=…`` inside free text, scrubbed."""

    def replace(match: re.Match) -> str:
        if is_secret_name(match.group("name")):
            return f"{match.group('key')}{SCRUBBED}"
        return match.group(0)

    return _PAIR.sub(replace, text)


class ScrubFilter(logging.Filter):
    """Scrubs every record in place before any handler formats it (see the module docstring)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # The message is formatted here, once, and the formatted text scrubbed: a secret passed
        # as an argument ("password=%s") is caught in the text it makes.
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: its parts, unformatted
            message = f"{record.msg} {record.args!r}"
        record.msg, record.args = scrub_text(message), ()
        for key in list(vars(record)):
            if key in _STANDARD:
                continue
            record.__dict__[key] = SCRUBBED if is_secret_name(key) else scrub(record.__dict__[key])
        return True


class ContextFilter(logging.Filter):
    """Copies the request's or task's context (request id, district, user, task) onto the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in (context.get() or {}).items():
            if not hasattr(record, key):
                setattr(record, key, value)
        if not hasattr(record, "district"):
            district = _current_schema()
            if district:
                record.district = district
        return True


def _current_schema() -> str | None:
    try:
        from django.db import connection

        schema = getattr(connection, "schema_name", None)
    except Exception:  # noqa: BLE001 - settings not ready: a record without a district
        return None
    return schema if schema and schema != "public" else None


def _extra(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


def _timestamp(record: logging.LogRecord) -> str:
    moment = dt.datetime.fromtimestamp(record.created, tz=dt.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, the context and
    any extra fields, and the exception's traceback where there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(_extra(record))
        if record.exc_info:
            line["exception"] = scrub_text("".join(traceback.format_exception(*record.exc_info)))
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """``2026-12-07T06:05:39.123Z INFO  config.requests GET /files/ 200 12ms [district=vaishali …]``"""

    def format(self, record: logging.LogRecord) -> str:
        extra = _extra(record)
        tail = " ".join(f"{k}={v}" for k, v in extra.items())
        text = f"{_timestamp(record)} {record.levelname:<7} {record.name}: {record.getMessage()}"
        if tail:
            text = f"{text} [{tail}]"
        if record.exc_info:
            text = f"{text}\n{scrub_text(''.join(traceback.format_exception(*record.exc_info)))}"
        return text


def logging_config(*, json_lines: bool, level: str) -> dict:
    """The LOGGING setting: one console handler, scrubbed and given the context, in the chosen format."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "context": {"()": "config.logging_json.ContextFilter"},
            "scrub": {"()": "config.logging_json.ScrubFilter"},
        },
        "formatters": {
            "json": {"()": "config.logging_json.JsonFormatter"},
            "text": {"()": "config.logging_json.TextFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if json_lines else "text",
                "filters": ["context", "scrub"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # Django's own request lines repeat ours (config.logging_requests) without the context.
            "django.server": {"level": "WARNING"},
            # huey's consumer logs each task; ours (config.metrics_huey) carries the task id too.
            "huey": {"level": "WARNING"},
            "huey.consumer": {"level": "INFO"},
        },
    }
