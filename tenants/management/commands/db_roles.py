"""``python manage.py db_roles [--check]``: the owner and app database roles, and what each may do.

Idempotent; run it after every ``migrate`` (tenants/roles.py says what it grants). With
``KARYALAY_ADMIN_DATABASE_URL`` (a superuser: the first install, or a database made by the
superuser before the roles existed) it creates both roles and hands every object to the owner;
otherwise it runs as the owner (manage.py connects these commands with
``KARYALAY_OWNER_DATABASE_URL``) and grants. Fails when the app role could still change the audit
trail.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tenants.roles import connected_as, roles, roles_apply, roles_check


class Command(BaseCommand):
    help = "Create or update the owner and app database roles and their rights (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only report what the app role could change")

    def handle(self, *args, check=False, **options):
        with connected_as(settings.KARYALAY_ADMIN_DATABASE):
            done = [] if check else roles_apply()
            problems = roles_check()
        for line in done:
            self.stdout.write(line)
        if problems:
            raise CommandError("The app role could change the audit trail: " + "; ".join(problems))
        names = roles()
        self.stdout.write(
            self.style.SUCCESS(
                f"{names.app} cannot change, delete or truncate the audit trail;"
                f" {names.owner} owns the schemas."
            )
        )
