#!/usr/bin/env python
"""Django's command-line utility. Starts the embedded PostgreSQL first when DATABASE_URL is unset."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not os.environ.get("DATABASE_URL") and os.environ.get("KARYALAY_NO_EMBEDDED_START") != "1":
        from config import embedded_postgres

        embedded_postgres.start()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
