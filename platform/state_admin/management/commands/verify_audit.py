"""Check districts' audit chains: ``python manage.py verify_audit vaishali`` or ``--all``.

Seals the events that have committed, walks the whole chain in seal order, compares it with the
district's last anchor (so the removal of the newest events, or a rewrite up to the anchored
event, is found too) and anchors the head it found (``state_admin.services.audit_anchor``).
Prints ``OK`` with the number of events and the head, or names what is wrong, and exits with
status 1 when anything is; events that committed during the walk are reported as not sealed yet.
Writes only the seals and the anchor.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from state_admin.models import AuditAnchor
from state_admin.services.audit_anchor import FAILED, audit_anchor_district
from tenants.management.districts import districts_arguments_add, districts_named
from tenants.models import District


class Command(BaseCommand):
    help = "Verify the hash chain of a district's audit trail (or of every district with --all)."

    def add_arguments(self, parser):
        districts_arguments_add(parser)

    def handle(self, *args, slug: str | None, all: bool, **options):
        districts = districts_named(slug=slug, all=all, has_no="audit trail")
        failed = [district.slug for district in districts if not self._verify(district)]
        if failed:
            raise CommandError(f"Audit trail broken in: {', '.join(failed)}", returncode=1)

    def _verify(self, district: District) -> bool:
        started = time.monotonic()
        anchor, result = audit_anchor_district(district, kind=AuditAnchor.Kind.VERIFICATION, full=True)
        seconds = time.monotonic() - started
        against_anchor = anchor.result in FAILED and anchor.result != AuditAnchor.Result.BROKEN
        if result.bad_event_id is None and not against_anchor:
            self.stdout.write(
                f"{district.slug}: OK, {result.count} events, head {result.head_hash} ({seconds:.2f} s)"
            )
        if result.bad_event_id is not None:
            self.stdout.write(
                f"{district.slug}: BAD at event {result.bad_event_id} "
                f"(after {result.count - 1} good events): {result.problem}"
            )
        if against_anchor:
            self.stdout.write(
                f"{district.slug}: BAD against its last anchor: {anchor.problem.split('; ')[0]}"
            )
        if result.unsealed:
            since = result.unsealed_since.strftime("%Y-%m-%d %H:%M:%S %Z")
            self.stdout.write(
                f"{district.slug}: {result.unsealed} newer events not sealed yet (since {since}): "
                "the next seal chains them"
            )
        for trigger in result.guards_off:
            self.stdout.write(f"{district.slug}: append-only trigger {trigger} is missing or disabled")
        self.stdout.write(
            f"{district.slug}: anchored event #{anchor.event_id} ({anchor.event_count} events) "
            f"as anchor {anchor.pk}, {anchor.get_result_display()}"
        )
        return result.ok and anchor.result not in FAILED
