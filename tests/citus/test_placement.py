"""On the cluster: each district is a distributed schema placed whole on one worker; the public
tables district tables reference are reference tables; the state console shows the placement."""

from django.db import connection

from tenants import citus
from tests.helpers import HostClient


def _partition(table: str):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT partmethod, repmodel FROM pg_dist_partition WHERE logicalrelid = to_regclass(%s)",
            [table],
        )
        return cursor.fetchone()


def test_every_district_is_a_distributed_schema_on_one_worker(world, db):
    placed = citus.placements(connection)
    workers = citus.nodes(connection)
    assert len(workers) == 2
    for district in (world.vaishali, world.muzaffarpur):
        assert placed[district.schema_name] in workers
        with connection.cursor() as cursor:
            # Every table of the district on that one worker, and no other.
            cursor.execute(
                """
                SELECT count(DISTINCT pl.groupid), count(*)
                FROM pg_dist_partition p
                JOIN pg_dist_shard sh ON sh.logicalrelid = p.logicalrelid
                JOIN pg_dist_placement pl ON pl.shardid = sh.shardid
                JOIN pg_class c ON c.oid = p.logicalrelid
                WHERE c.relnamespace = to_regnamespace(%s)
                """,
                [district.schema_name],
            )
            groups, tables = cursor.fetchone()
        assert groups == 1
        assert tables > 40


def test_accounts_are_a_reference_table_and_district_tables_name_them_without_foreign_keys(world, db):
    # A reference table still (district queries join accounts), but no district table holds a
    # foreign key to it (core.0027): a district adds no trigger to tenants_user on any node.
    assert _partition("public.tenants_user") == ("n", "t")
    assert citus.reference_tables_wanted(__import__("django.apps", fromlist=["apps"]).apps) == [
        "tenants_user"
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM pg_constraint
            WHERE contype = 'f' AND connamespace = to_regnamespace('vaishali')
              AND confrelid = 'public.tenants_user'::regclass
            """
        )
        assert cursor.fetchone()[0] == 0


def test_the_state_console_district_page_shows_the_worker(world, db):
    client = HostClient(None)
    assert client.sign_in("state.staff").status_code == 302
    response = client.get(f"/districts/{world.vaishali.slug}/")
    assert response.status_code == 200
    assert citus.placements(connection)[world.vaishali.schema_name] in response.content.decode()


def test_a_move_to_a_node_that_is_not_a_worker_is_refused_and_changes_nothing(world, db):
    import pytest

    before = citus.placements(connection)
    with pytest.raises(citus.MoveError):
        citus.schema_move(connection, world.vaishali.schema_name, "127.0.0.1:1")
    assert citus.placements(connection) == before
