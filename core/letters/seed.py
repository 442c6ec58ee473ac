"""What a new district starts with for letters: its signing authority (made at provisioning, so
its certificate exists before any officer signs) and its offices in the public directory."""

from __future__ import annotations

from django.db import connection

from core.letters.certificates import authority_ensure
from core.letters.directory import directory_publish
from tenants.models import District


def letters_district_seed() -> None:
    """Run by ``district_seed`` under the new district's schema; does nothing in a schema that is
    no district's (a template being prepared) and nothing twice."""
    if not District.objects.filter(schema_name=connection.schema_name).exists():
        return

    authority_ensure()
    directory_publish()
