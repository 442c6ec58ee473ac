"""Cache keys: a district's entries stay its own; sign-in counters are one per person everywhere."""

import pytest
from django.core.cache import cache

from tenants.context import district_context

pytestmark = pytest.mark.django_db


def test_an_entry_made_in_one_district_is_not_seen_in_another_or_on_the_state_console(world):
    with district_context("vaishali"):
        cache.set("test:secret", "vaishali's", 60)
    try:
        with district_context("muzaffarpur"):
            assert cache.get("test:secret") is None
        assert cache.get("test:secret") is None  # the public schema: the state console
    finally:
        with district_context("vaishali"):
            assert cache.get("test:secret") == "vaishali's"
            cache.delete("test:secret")


def test_sign_in_rate_limit_entries_are_the_same_on_every_host(world):
    key = "allauth:rl:allauth.account:login_failed:5/900/key:test-shared"
    with district_context("vaishali"):
        cache.set(key, [1.0], 60)
    try:
        with district_context("muzaffarpur"):
            assert cache.get(key) == [1.0]
        assert cache.get(key) == [1.0]
    finally:
        cache.delete(key)


def test_no_district_slug_can_make_the_shared_scope():
    from tenants.cache import GLOBAL_SCOPE
    from tenants.naming import SLUG_PATTERN

    # A slug starts with a letter, and its schema name with the same letter: never "_global".
    assert not SLUG_PATTERN.fullmatch(GLOBAL_SCOPE) and not SLUG_PATTERN.match(GLOBAL_SCOPE)
