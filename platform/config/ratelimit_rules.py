"""The typed parser of the rate-limit settings (read by config.settings; no Django needed).

One variable per kind of request, ``KARYALAY_RATE_LIMIT_SEARCH``, ``_DOWNLOAD``, ``_UPLOAD`` and
``_WRITE``, each a comma-separated list of rules ``<count>/<period>/<scope>``: period ``s``,
``m``, ``h`` or ``d``, optionally with a number in front (``15m``); scope ``user`` (the signed-in
person) or ``ip`` (the client's address). ``120/m/user,600/m/ip`` lets one person make 120
such requests a minute and one address 600. An empty value switches the kind's limits off.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

KINDS = ("search", "download", "upload", "write")
SCOPES = ("user", "ip")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RULE = re.compile(r"(?P<count>\d+)/(?P<n>\d*)(?P<unit>[smhd])/(?P<scope>user|ip)")


class RateLimitSettingError(ValueError):
    pass


@dataclass(frozen=True)
class Rule:
    count: int
    seconds: int
    scope: str

    def __str__(self) -> str:
        return f"{self.count}/{self.seconds}s/{self.scope}"


def parse_rules(name: str, raw: str) -> tuple[Rule, ...]:
    """``"120/m/user,600/m/ip"`` → rules; a clear error naming the variable for anything else."""
    rules = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        match = _RULE.fullmatch(part)
        if not match:
            raise RateLimitSettingError(
                f"{name}: {part!r} is not <count>/<period>/<scope>, e.g. 120/m/user or 600/15m/ip"
            )
        count, n = int(match["count"]), int(match["n"] or 1)
        if count < 1 or n < 1:
            raise RateLimitSettingError(
                f"{name}: {part!r} must allow at least 1 request in at least 1 period"
            )
        rules.append(Rule(count=count, seconds=n * _UNITS[match["unit"]], scope=match["scope"]))
    return tuple(rules)


# Generous: an office of 30 behind one address, working fast, stays well below them.
DEFAULTS = {
    "search": "60/m/user,600/m/ip",
    "download": "300/m/user,1500/m/ip",
    "upload": "60/m/user,300/m/ip",
    "write": "120/m/user,1200/m/ip",
}


def rate_limits_from_env(environ=os.environ) -> dict[str, tuple[Rule, ...]]:
    return {
        kind: parse_rules(
            f"KARYALAY_RATE_LIMIT_{kind.upper()}",
            environ.get(f"KARYALAY_RATE_LIMIT_{kind.upper()}", DEFAULTS[kind]),
        )
        for kind in KINDS
    }
