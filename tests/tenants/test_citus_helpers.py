"""Issue 21's code on a single server (every run): nothing changes where Citus is not loaded, the
reference tables are found from the models, a move is refused with a clear message, and a Citus
"node down" error becomes the "temporarily unavailable" page, never a 500. The cluster itself is
tested in tests/citus/ (collected on a Citus coordinator only)."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.utils import translation

from config.unavailable import database_unavailable, server_error
from tenants import citus
from tests.helpers import HostClient

NODE_DOWN = (
    "connection to the remote node postgres@127.0.0.1:9702 failed with the following error: "
    "Connection refused"
)


def test_the_public_tables_district_tables_reference_are_the_accounts_only():
    # Every foreign key from a district table to the public schema points at tenants_user, and
    # tenants_user points at no other public table: one reference table on a cluster.
    assert citus.reference_tables_wanted(apps) == ["tenants_user"]


def _on_citus() -> bool:
    with connection.cursor() as cursor:
        return citus.citus_loaded(cursor)


def test_citus_is_active_exactly_where_the_server_loads_it(world, db):
    assert citus.citus_active(connection) is _on_citus()
    if _on_citus():  # the cluster run: each district placed on a worker (more in tests/citus/)
        assert set(citus.placements(connection)) >= {"vaishali", "muzaffarpur"}
        return
    with connection.cursor() as cursor:
        assert citus.database_prepare(cursor, {}) is False
    assert citus.reference_tables_ensure(connection, apps) == []
    assert citus.placements(connection) == {}
    assert citus.nodes(connection) == []
    with pytest.raises(citus.MoveError, match="not on a Citus cluster"):
        citus.schema_move(connection, world.vaishali.schema_name, "127.0.0.1:9702")


def test_district_move_refuses_clearly(world, db, capsys):
    refusal = "not an active worker" if _on_citus() else "not on a Citus cluster"
    with pytest.raises(CommandError, match=refusal):
        call_command("district_move", "vaishali", "--to", "127.0.0.1:1")
    with pytest.raises(CommandError, match="No district"):
        call_command("district_move", "nowhere", "--to", "127.0.0.1:9702")
    with pytest.raises(CommandError, match="--to"):
        call_command("district_move", "vaishali")
    call_command("district_move", "--list")
    out = capsys.readouterr().out
    placed = citus.placements(connection).get("vaishali", "-")
    assert f"vaishali\t{placed}" in out


def test_bad_transfer_modes_are_refused_before_anything_runs(world, db):
    # Checked before the cluster is asked anything, on either kind of server.
    with pytest.raises(citus.MoveError, match="Unknown transfer mode"):
        citus.schema_move(connection, world.vaishali.schema_name, "127.0.0.1:9702", mode="'; DROP")


def test_a_node_down_error_is_the_temporarily_unavailable_page_in_both_languages():
    assert database_unavailable(OperationalError(NODE_DOWN))
    for language, heading in (("en", "This district is temporarily unavailable"), ("hi", 'lang="hi"')):
        request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=language)
        try:
            raise OperationalError(NODE_DOWN)
        except OperationalError:
            response = server_error(request)
        assert response.status_code == 503
        assert response["Retry-After"]
        assert heading in response.content.decode()
    translation.activate("en")


def test_the_district_page_shows_its_node_only_on_a_cluster(world, db):
    client = HostClient(None)
    assert client.sign_in("state.staff").status_code == 302
    response = client.get(f"/districts/{world.vaishali.slug}/")
    assert response.status_code == 200
    assert ("Database node" in response.content.decode()) is _on_citus()
