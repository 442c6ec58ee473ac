"""A worker stops (issue 21): the districts it holds answer with the "temporarily unavailable"
page (503, in English and in Hindi), never a 500; districts on the other worker keep working; when
the worker is back, its districts serve again with no restart of the application.

Runs outside a test transaction (a statement that fails on the stopped worker would abort it for
the district that still works); what it writes is sessions only."""

from django.db import connection

from tenants import citus
from tests.citus.conftest import cluster
from tests.helpers import HostClient


def _place_apart(world) -> tuple[str, str]:
    """Vaishali and Muzaffarpur on different workers (moving Vaishali if they share one)."""
    placed = citus.placements(connection)
    vaishali, muzaffarpur = placed[world.vaishali.schema_name], placed[world.muzaffarpur.schema_name]
    if vaishali == muzaffarpur:
        vaishali = next(node for node in citus.nodes(connection) if node != muzaffarpur)
        citus.schema_move(connection, world.vaishali.schema_name, vaishali)
    return vaishali, muzaffarpur


def test_districts_on_a_stopped_worker_are_unavailable_the_others_work_and_all_recover(
    world, django_db_blocker, worker_back
):
    with django_db_blocker.unblock():
        vaishali_node, muzaffarpur_node = _place_apart(world)
        assert citus.placements(connection)[world.vaishali.schema_name] == vaishali_node
        here = HostClient("vaishali")
        assert here.sign_in("sdpo.mahua").status_code == 302
        there = HostClient("muzaffarpur")
        assert there.sign_in("sdpo.east").status_code == 302
        there.raise_request_exception = False
        assert here.get("/").status_code == 200
        assert there.get("/").status_code == 200

        port = muzaffarpur_node.rpartition(":")[2]
        cluster("node-stop", port)
        worker_back.append(port)

        for _ in range(2):  # and again: nothing is left broken by the first failure
            assert here.get("/").status_code == 200
            english = there.get("/")
            assert english.status_code == 503, english.status_code
            assert english["Retry-After"]
            assert "temporarily unavailable" in english.content.decode().lower()
            hindi = there.get("/", HTTP_ACCEPT_LANGUAGE="hi")
            assert hindi.status_code == 503
            assert 'lang="hi"' in hindi.content.decode()
            assert "यह ज़िला अस्थायी रूप से उपलब्ध नहीं है" in hindi.content.decode()
        connection.close()

        cluster("node-start", port)
        worker_back.remove(port)
        assert there.get("/").status_code == 200
        assert here.get("/").status_code == 200
