"""Move a district to another worker of the Citus cluster while it keeps serving (issue 21):

    python manage.py district_move vaishali --to 127.0.0.1:9702 [--mode auto] [--by state.staff]
    python manage.py district_move --list

Citus moves the district's schema (every table of it, one colocation group) with its shard move;
``auto`` copies by logical replication, so the district keeps taking writes and is held only for
the final switch. The move is recorded in the platform audit log. See tenants/citus.py.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from state_admin.services.placement import district_move
from tenants import citus
from tenants.models import District, User


class Command(BaseCommand):
    help = "Move a district's schema to another Citus worker (or list where districts are)."

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?")
        parser.add_argument("--to", help="The target worker, host:port (see --list).")
        parser.add_argument("--mode", default="auto", choices=citus.MOVE_MODES)
        parser.add_argument("--by", help="Login ID of the platform staff member (audit log).")
        parser.add_argument("--list", action="store_true", help="Where every district is placed.")

    def handle(self, *args, slug, to, mode, by, list, **options):
        if list:
            placed = citus.placements(connection)
            self.stdout.write("workers: " + (", ".join(citus.nodes(connection)) or "none (not on Citus)"))
            for district in District.objects.order_by("slug"):
                self.stdout.write(f"{district.slug}\t{placed.get(district.schema_name, '-')}")
            return
        if not slug or not to:
            raise CommandError("Give a district slug and --to host:port (or --list).")
        district = District.objects.filter(slug=slug).first()
        if district is None:
            raise CommandError(f"No district with the slug {slug!r}.")
        user = None
        if by:
            user = User.objects.filter(login_id=by.lower(), is_staff=True, is_active=True).first()
            if user is None:
                raise CommandError(f"No platform staff account {by!r}.")
        try:
            result = district_move(district=district, target=to, mode=mode, user=user)
        except citus.MoveError as exc:
            raise CommandError(str(exc)) from exc
        if not result["moved"]:
            self.stdout.write(f"{district.slug} is already on {to}")
            return
        self.stdout.write(
            f"moved {district.slug} from {result['source']} to {result['target']}"
            f" in {result['seconds']:.2f} s"
        )
