"""The search's walk-or-index choice on a Citus cluster (issue 21): ANALYZE's statistics of a
district's index rows live on the worker holding its shard, and the search reads them there
(``core.search.query._citus_statistics``). A committed district of its own, since a worker's own
connection cannot see what a test's open transaction analysed."""

import pytest
from django.db import connection

from core.efile.services.files import file_create
from core.models import FileHead
from core.search import query
from core.search.index import search_index_rebuild
from tenants.context import district_context
from tests.core.efile.conftest import committed_desk


@pytest.fixture
def analysed(world, django_db_blocker):
    with django_db_blocker.unblock(), committed_desk(world, slug="stats-run", name="Stats Run") as desk:
        district, clerk, posts = desk
        with district_context(district.schema_name):
            head = FileHead.objects.get(code="GEN", office=None)
            for n in range(40):
                subject = f"Mahua roster {n}" if n % 2 == 0 else f"Lalganj duty {n}"
                file_create(actor=clerk, post=posts["clerk"], head=head, subject=subject, category="other")
            search_index_rebuild()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE core_searchentry")
        yield district


def test_the_share_of_rows_a_word_matches_comes_from_the_workers_statistics(analysed, django_db_blocker):
    query._stats.clear()
    with django_db_blocker.unblock(), district_context(analysed.schema_name):
        frequencies = query.lexeme_frequencies()
        common = query._share(query._match(["mahua"], fuzzy=False, prefix=False))
        rare = query._share(query._match(["zzqx"], fuzzy=False, prefix=False))
    assert frequencies, "no statistics read from the worker"
    assert 0.1 <= common <= 0.9 and rare == 0.0  # half the files, beside the seeded records
