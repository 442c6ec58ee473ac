"""A live server for the API's runs (schemathesis, the example client): runserver in its own
process on the test database, and a district made for the run (committed, removed afterwards)
where the session's clerk and SDPO hold posts, with committed tokens for them."""

import pytest
from django.db import connection

from tenants.api_tokens import api_token_create
from tenants.models import ApiToken
from tests.core.efile.conftest import committed_desk
from tests.server import PROJECT, free_port, runserver, server_env  # noqa: F401 (PROJECT: for the API tests)

SLUG = "apirun"


@pytest.fixture(scope="module")
def live(world, django_db_blocker, tmp_path_factory):
    """(base URL, host of the run's district, {"clerk": token, "sdpo": token, "staff": token}, the
    server's log file, {"clerk": post, "sdpo": post})."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        committed_desk(world, slug=SLUG, name="API run") as (district, _a, posts),
    ):
        connection.set_schema_to_public()
        tokens = {
            "clerk": api_token_create(
                person=world.vaishali_clerk, district=district, name="run", scope="read-write", days=1
            )[1],
            "sdpo": api_token_create(
                person=world.vaishali_officer, district=district, name="run", scope="read-write", days=1
            )[1],
            "staff": api_token_create(person=world.staff, district=None, name="run", scope="read", days=1)[1],
        }
        port = free_port()
        env = server_env(KARYALAY_PUBLIC_PORT=str(port), KARYALAY_MEDIA_ROOT=str(media))
        try:
            with runserver(port=port, env=env) as (port, log):
                yield f"http://127.0.0.1:{port}", f"{SLUG}.localhost:{port}", tokens, log, posts
        finally:
            ApiToken.objects.filter(name="run").delete()
