"""Check districts' audit chains: ``python manage.py verify_audit vaishali`` or ``--all``.

Prints ``OK`` with the number of events and the head hash (record it elsewhere: a later run that
prints another head for the same events means the chain was rewritten), or names the first bad
event and exits with status 1. Reads only.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from core.audit import audit_verify
from tenants.context import district_context
from tenants.models import STATUSES_WITH_SCHEMA, District


class Command(BaseCommand):
    help = "Verify the hash chain of a district's audit trail (or of every district with --all)."

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", help="The district's slug, e.g. vaishali.")
        parser.add_argument("--all", action="store_true", help="Every district that has a schema.")

    def handle(self, *args, slug: str | None, all: bool, **options):
        if bool(slug) == bool(all):
            raise CommandError("Give one district slug, or --all.")
        if all:
            districts = list(District.objects.filter(status__in=STATUSES_WITH_SCHEMA).order_by("slug"))
        else:
            district = District.objects.filter(slug=slug.strip().lower()).first()
            if district is None:
                raise CommandError(f"No district with the slug {slug!r}.")
            if not district.has_schema:
                raise CommandError(f"{district.name} is {district.status}; it has no audit trail yet.")
            districts = [district]
        failed = [district.slug for district in districts if not self._verify(district)]
        if failed:
            raise CommandError(f"Audit trail broken in: {', '.join(failed)}", returncode=1)

    def _verify(self, district: District) -> bool:
        started = time.monotonic()
        with district_context(district.schema_name):
            result = audit_verify()
        seconds = time.monotonic() - started
        if result.bad_event_id is None:
            self.stdout.write(
                f"{district.slug}: OK, {result.count} events, head {result.head_hash} ({seconds:.2f} s)"
            )
        else:
            self.stdout.write(
                f"{district.slug}: BAD at event {result.bad_event_id} "
                f"(after {result.count - 1} good events): {result.problem}"
            )
        for trigger in result.guards_off:
            self.stdout.write(f"{district.slug}: append-only trigger {trigger} is missing or disabled")
        return result.ok
