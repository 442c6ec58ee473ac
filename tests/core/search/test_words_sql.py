"""The typo dictionary's statement lives in core.search.index; migration core.0015 keeps a frozen
copy. While the index's columns are those the migration knew, the two must say the same."""

import importlib

from core.search import index


def test_the_words_statement_at_run_time_is_the_one_the_migration_froze():
    migration = importlib.import_module("core.migrations.0015_search_words")
    assert index.WORDS_SQL == migration.WORDS_SQL
