#!/usr/bin/env python
"""Django's command-line utility. Starts the embedded PostgreSQL first when DATABASE_URL is unset."""

import os
import sys

# Commands that change the database's structure connect as the owner role where one is configured
# (KARYALAY_OWNER_DATABASE_URL; see tenants/roles.py); everything else as DATABASE_URL's role.
OWNER_COMMANDS = {
    "migrate",
    "migrate_schemas",
    "template_refresh",
    "db_roles",
    "provision_district",
    "district_delete",
    "district_restore",
    "backup_restore",
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    as_owner = len(sys.argv) > 1 and sys.argv[1] in OWNER_COMMANDS
    os.environ["KARYALAY_CONNECT_AS_OWNER"] = "1" if as_owner else "0"
    if not os.environ.get("DATABASE_URL") and os.environ.get("KARYALAY_NO_EMBEDDED_START") != "1":
        from config import embedded_postgres

        embedded_postgres.start()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
