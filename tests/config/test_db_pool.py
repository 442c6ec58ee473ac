"""Pooled database connections: every request and task takes a connection from its process's pool
and gives it back; search_path is set again on each checkout, so one connection serving two
districts in turn never shows one district's rows to the other; an exhausted pool answers 503
(with Retry-After, in the reader's language), never 500, and serves again once a connection is
free."""

import threading
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from psycopg_pool import PoolTimeout

from config.unavailable import database_unavailable
from tenants.context import district_context
from tests.helpers import HostClient

WAIT = 30


@contextmanager
def _pool(*, max_size: int, timeout: int):
    """The process's pool replaced by a small one for the block (the settings dict is shared by
    every thread's connection), and the usual one again afterwards."""
    options = connection.settings_dict["OPTIONS"]
    usual = options["pool"]
    connection.close()
    connection.close_pool()
    options["pool"] = {**usual, "min_size": 0, "max_size": max_size, "timeout": timeout}
    try:
        yield
    finally:
        connection.close()
        connection.close_pool()
        options["pool"] = usual


def _in_thread(work):
    """Run ``work`` in a thread of its own (its own connection from the pool); return its result."""
    result: dict = {}

    def run() -> None:
        try:
            result["value"] = work()
        except BaseException as error:  # noqa: BLE001 (raised below)
            result["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(WAIT)
    if "error" in result:
        raise result["error"]
    return result["value"]


def test_the_settings_pool_connections_with_jit_off():
    options = connection.settings_dict["OPTIONS"]
    assert options["pool"]["max_size"] >= 1 and options["pool"]["timeout"] >= 1
    assert connection.settings_dict["CONN_MAX_AGE"] == 0
    assert "-c jit=off" in options["options"]


def test_two_districts_alternate_through_one_pooled_connection(world, django_db_blocker):
    def visit(schema: str | None) -> tuple[int, str, str, list[str]]:
        with district_context(schema) if schema else _public(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid(), current_schema(), current_setting('jit')")
            pid, current, jit = cursor.fetchone()
            posts = []
            if schema:
                cursor.execute("SELECT code FROM core_post WHERE code LIKE 'sdpo-%%' ORDER BY code")
                posts = [row[0] for row in cursor.fetchall()]
        connection.close()  # back to the pool
        return pid, current, jit, posts

    order = ["vaishali", "muzaffarpur", "vaishali", None, "muzaffarpur"]
    with django_db_blocker.unblock(), _pool(max_size=1, timeout=WAIT):
        seen = _in_thread(lambda: [visit(schema) for schema in order])
    assert len({pid for pid, *_ in seen}) == 1  # one connection served every visit
    assert [current for _pid, current, _jit, _posts in seen] == [s or "public" for s in order]
    assert {jit for _pid, _current, jit, _posts in seen} == {"off"}
    posts = {schema: found for schema, (_pid, _current, _jit, found) in zip(order, seen, strict=True)}
    assert posts["vaishali"] == ["sdpo-mahua"] and posts["muzaffarpur"] == ["sdpo-east"]


@contextmanager
def _public():
    connection.set_schema_to_public()
    yield


def test_officers_of_two_districts_each_see_their_own_district_through_one_connection(
    world, django_db_blocker
):
    def pages() -> list[tuple[int, str]]:
        vaishali, muzaffarpur = HostClient("vaishali"), HostClient("muzaffarpur")
        vaishali.sign_in("sdpo.mahua")
        muzaffarpur.sign_in("sdpo.east")
        seen = []
        for client in (vaishali, muzaffarpur, vaishali, muzaffarpur):
            response = client.get("/")
            seen.append((response.status_code, response.text))
        return seen

    with django_db_blocker.unblock(), _pool(max_size=1, timeout=WAIT):
        seen = _in_thread(pages)
    for (status, html), own, other in zip(
        seen, ["SDPO Mahua", "SDPO East"] * 2, ["SDPO East", "SDPO Mahua"] * 2, strict=True
    ):
        assert status == 200 and own in html and other not in html


@pytest.mark.parametrize(("language", "text"), [("en", "The office is busy right now"), ("hi", None)])
def test_an_exhausted_pool_answers_503_in_the_readers_language_then_serves_again(
    world, django_db_blocker, language, text
):
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:  # the pool's only connection, busy with a long request
        connection.ensure_connection()
        taken.set()
        release.wait(WAIT)

    def request():
        client = HostClient("vaishali", raise_request_exception=False)
        return client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=language)

    with django_db_blocker.unblock(), _pool(max_size=1, timeout=1):
        holder = threading.Thread(target=lambda: (hold(), connection.close()))
        holder.start()
        try:
            assert taken.wait(WAIT)
            busy = _in_thread(request)
        finally:
            release.set()
            holder.join(WAIT)
        again = _in_thread(request)
    assert busy.status_code == 503 and busy["Retry-After"] == "5"
    assert f'<html lang="{language}">' in busy.text
    if text:
        assert text in busy.text
    assert "Something went wrong" not in busy.text
    assert again.status_code == 200


def test_only_a_database_without_a_connection_to_give_is_unavailable():
    def raised(error: BaseException, cause: BaseException) -> BaseException:
        try:
            raise error from cause
        except BaseException as caught:  # noqa: BLE001
            return caught

    assert database_unavailable(raised(OperationalError("pool"), PoolTimeout("couldn't get a connection")))
    assert database_unavailable(OperationalError("FATAL:  sorry, too many clients already"))
    assert not database_unavailable(OperationalError("server closed the connection unexpectedly"))
    assert not database_unavailable(ValueError("a bug"))
    assert not database_unavailable(None)
