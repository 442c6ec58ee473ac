"""django-tenants' PostgreSQL backend, with two differences on a Citus cluster (tenants/citus.py).

Django's PostgreSQL backend sends a migration's SQL script (``RunSQL``) in one ``execute``.
Citus forwards some DDL to the worker holding a distributed schema with the coordinator's whole
query string, which the worker refuses when it holds several statements ("cannot insert multiple
commands into a prepared statement"). So where Citus is active, scripts are split into single
statements first, as Django does for every other database; elsewhere nothing changes.

And the test runner's database is dropped ``WITH (FORCE)`` there: Citus's maintenance daemon keeps
idle connections to every database that has the extension (two-phase-commit recovery), which a
plain ``DROP DATABASE`` waits for and then fails on.
"""

from __future__ import annotations

import sqlparse
from django.db.backends.postgresql.creation import DatabaseCreation as PostgresDatabaseCreation
from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper

from tenants.citus import citus_active, citus_loaded


class DatabaseOperationsMixin:
    def prepare_sql_script(self, sql):
        if not citus_active(self.connection):
            return super().prepare_sql_script(sql)
        return [statement for statement in sqlparse.split(sql) if statement.strip().strip(";").strip()]


class DatabaseCreation(PostgresDatabaseCreation):
    def _drop_forced(self, cursor, name: str) -> bool:
        if not citus_loaded(cursor):
            return False
        cursor.execute(f"DROP DATABASE IF EXISTS {self.connection.ops.quote_name(name)} WITH (FORCE)")
        return True

    def _execute_create_test_db(self, cursor, parameters, keepdb=False):
        if not keepdb:
            self._drop_forced(cursor, parameters["dbname"])
        super()._execute_create_test_db(cursor, parameters, keepdb)

    def _destroy_test_db(self, test_database_name, verbosity):
        with self._nodb_cursor() as cursor:
            if self._drop_forced(cursor, test_database_name):
                return
        super()._destroy_test_db(test_database_name, verbosity)


class DatabaseWrapper(TenantDatabaseWrapper):
    creation_class = DatabaseCreation

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ops = type("DatabaseOperations", (DatabaseOperationsMixin, type(self.ops)), {})(self)
