"""django-tenants' PostgreSQL backend, with one difference on a Citus cluster (tenants/citus.py).

Django's PostgreSQL backend sends a migration's SQL script (``RunSQL``) in one ``execute``.
Citus forwards some DDL to the worker holding a distributed schema with the coordinator's whole
query string, which the worker refuses when it holds several statements ("cannot insert multiple
commands into a prepared statement"). So where Citus is active, scripts are split into single
statements first, as Django does for every other database; elsewhere nothing changes.
"""

from __future__ import annotations

import sqlparse
from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper

from tenants.citus import citus_active


class DatabaseOperationsMixin:
    def prepare_sql_script(self, sql):
        if not citus_active(self.connection):
            return super().prepare_sql_script(sql)
        return [statement for statement in sqlparse.split(sql) if statement.strip().strip(";").strip()]


class DatabaseWrapper(TenantDatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ops = type("DatabaseOperations", (DatabaseOperationsMixin, type(self.ops)), {})(self)
