"""Test settings: the real settings with a few speed-ups and names of their own.

Tests use the real PostgreSQL (``DATABASE_URL`` or the embedded server) and, where ``REDIS_URL``
is set, the real Redis; their queue and cache keys carry a name of their own so that a running
``make run`` on the same machine never picks up a test's task.
"""

import os

os.environ.setdefault("KARYALAY_HUEY_NAME", f"karyalay-test-{os.getpid()}")
os.environ.setdefault("KARYALAY_CACHE_PREFIX", f"karyalay-test-{os.getpid()}")
# Tests run threads beside the main one (races, live servers): a pool above their count.
os.environ.setdefault("KARYALAY_DB_POOL_MAX", "16")
# Every test comes from 127.0.0.1 within a few minutes: limits no run reaches; the rate-limit
# tests set their own (tests/config/test_ratelimit.py).
for _kind in ("SEARCH", "DOWNLOAD", "UPLOAD", "WRITE"):
    os.environ.setdefault(f"KARYALAY_RATE_LIMIT_{_kind}", "1000000/m/user,1000000/m/ip")

from config.settings import *  # noqa: E402,F403
from config.settings import HUEY  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
HUEY = {**HUEY, "immediate": False}
