from django.conf import settings
from django.core.management.base import BaseCommand

from state_admin.demo import DEMO_PASSWORD, demo_logins, demo_seed


class Command(BaseCommand):
    help = "Create the demo (Tirhut range; Vaishali live in phase 1). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--print-logins", action="store_true", help="Print the demo logins and their password"
        )

    def handle(self, *args, print_logins=False, **options):
        demo_seed()
        self.stdout.write(self.style.SUCCESS("Demo ready: Tirhut range, Vaishali live (phase 1)."))
        if print_logins:
            port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
            for host, login_id in demo_logins():
                self.stdout.write(f"  {login_id:<20} {settings.PUBLIC_SCHEME}://{host}{port}/accounts/login/")
            self.stdout.write(f"  password for all demo logins: {DEMO_PASSWORD}")
