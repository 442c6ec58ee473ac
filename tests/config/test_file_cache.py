"""The embedded default's file cache keeps what it holds: Django's default (300 entries, then a third
culled at random) dropped sign-in failure counts in the middle of a lock-out under a full test run."""

from django.conf import settings
from django.core.cache.backends.filebased import FileBasedCache


def _cache(folder, options) -> FileBasedCache:
    return FileBasedCache(str(folder), {"OPTIONS": options})


def test_a_failure_count_outlives_a_busy_hour_of_other_entries(tmp_path):
    cache = _cache(tmp_path / "project", settings.FILE_CACHE_OPTIONS)
    cache.set("allauth:login_failed:t.hindi", [1, 2, 3, 4, 5], 900)
    for n in range(400):  # task progress, host look-ups, other people's counts
        cache.set(f"other:{n}", n, 900)
    assert cache.get("allauth:login_failed:t.hindi") == [1, 2, 3, 4, 5]


def test_djangos_default_would_have_culled_it(tmp_path):
    """The same hour on Django's default options loses entries: the setting is what keeps them."""
    cache = _cache(tmp_path / "default", {})
    for n in range(400):
        cache.set(f"other:{n}", n, 900)
    assert sum(cache.get(f"other:{n}") is not None for n in range(400)) < 400
