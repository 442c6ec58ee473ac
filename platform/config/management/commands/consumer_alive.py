"""The worker's liveness check: ``python manage.py consumer_alive`` exits 0 when a huey consumer
ran the heartbeat task (config.health_tasks) within ``KARYALAY_HEARTBEAT_MAX_AGE`` seconds (or
``--max-age``), 1 otherwise, naming the age. Kubernetes runs it as the worker's exec probe and
compose as its healthcheck.

The heartbeat is one for the deployment: with several worker replicas it proves that the
consumers as a whole take tasks off the queue, not that this replica does.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.heartbeat import heartbeat_age


class Command(BaseCommand):
    help = "Exit 0 if a huey consumer's heartbeat is recent, 1 if not."

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-age", type=int, default=None, help="Seconds (default KARYALAY_HEARTBEAT_MAX_AGE)."
        )

    def handle(self, *args, max_age: int | None, **options):
        limit = max_age or settings.KARYALAY_HEARTBEAT_MAX_AGE
        age = heartbeat_age()
        if age is None:
            raise CommandError("No heartbeat from any huey consumer yet.", returncode=1)
        if age > limit:
            raise CommandError(f"Last heartbeat {age:.0f} s ago (limit {limit} s).", returncode=1)
        self.stdout.write(f"Consumer alive: heartbeat {age:.0f} s ago.")
