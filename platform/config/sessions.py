"""Sessions in the database, as Django's ``db`` engine keeps them, read with one written-out statement.

Every signed-in request reads its session. Django's engine builds that read through the ORM
(``Session.objects.get(session_key=…, expire_date__gt=now)``), which cost about 1 ms of CPU a
request, a third of the least a signed-in page costs (bench/_load_profile.py). This engine sends
the same statement without building it; everything else (the table, each district's own
``django_session`` on the connection's ``search_path``, the encoding, saving, expiry) is Django's
``db`` engine unchanged, so sessions made by either engine are read by the other.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

# Django's Session model: its table and columns (django.contrib.sessions.models), the same in every
# district's schema.
_READ = (
    'SELECT "session_data", "expire_date" FROM "django_session"'
    ' WHERE "session_key" = %s AND "expire_date" > %s'
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        with connections[router.db_for_read(model)].cursor() as cursor:
            cursor.execute(_READ, [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0], expire_date=row[1])
