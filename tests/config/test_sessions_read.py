"""The session engine (``config.sessions``): Django's database sessions read with a written-out
statement. It reads what Django's own engine saved and the other way round, in the district's own
table only; an expired or unknown session is no session, and a signed-in page still works."""

import datetime

from django.contrib.sessions.backends import db as django_db
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config import sessions
from tenants.context import district_context
from tests.helpers import HostClient


def test_reads_what_djangos_engine_saved_and_the_other_way_round(world, db):
    with district_context("vaishali"):
        theirs = django_db.SessionStore()
        theirs["who"] = "vaishali"
        theirs.create()
        ours = sessions.SessionStore(session_key=theirs.session_key)
        assert ours.load() == {"who": "vaishali"} and ours.session_key == theirs.session_key
        ours["more"] = 1
        ours.save()
        assert django_db.SessionStore(session_key=theirs.session_key).load() == {"who": "vaishali", "more": 1}


def test_an_expired_unknown_or_other_districts_session_is_none(world, db):
    with district_context("vaishali"):
        store = sessions.SessionStore()
        store["who"] = "vaishali"
        store.create()
        key = store.session_key
        expired = sessions.SessionStore()
        expired["who"] = "gone"
        expired.set_expiry(timezone.now() - datetime.timedelta(seconds=1))
        expired.create()
        late = sessions.SessionStore(session_key=expired.session_key)
        assert late.load() == {} and late.session_key is None
        unknown = sessions.SessionStore(session_key="x" * 32)
        assert unknown.load() == {} and unknown.session_key is None
    with district_context("muzaffarpur"):  # Muzaffarpur's own table: Vaishali's key is nothing there
        other = sessions.SessionStore(session_key=key)
        assert other.load() == {} and other.session_key is None


def test_a_signed_in_page_reads_its_session_with_one_statement(world, db):
    client = HostClient("vaishali")
    assert client.sign_in("sdpo.mahua").status_code == 302
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/inbox/").status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "django_session"' in q["sql"]]
    assert len(reads) == 1 and reads[0].startswith('SELECT "session_data", "expire_date"')
