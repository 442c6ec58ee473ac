import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from state_admin.services.provisioning import DistrictSpec, ProvisioningError, district_provision


class Command(BaseCommand):
    help = (
        "Provision a district: its schema (cloned from the template), domain, starting data and first admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="DNS label, e.g. vaishali; also the subdomain")
        parser.add_argument("--name", required=True, help="Name in English, e.g. Vaishali")
        parser.add_argument("--name-hi", default="", help="Name in Hindi, e.g. वैशाली")
        parser.add_argument("--range", dest="range_name", default="", help="Police range, e.g. Tirhut")
        parser.add_argument(
            "--kind",
            default="district",
            choices=["district", "range", "headquarters"],
            help="A district, or a range office (e.g. tirhut, its DIG) or police headquarters",
        )
        parser.add_argument(
            "--admin", default=None, help="Login ID of the first district admin (an existing account)"
        )

    def handle(self, *args, slug, name, name_hi, range_name, admin, kind, **options):
        spec = DistrictSpec(
            slug=slug, name=name, name_hi=name_hi, range_name=range_name, admin_login_id=admin, kind=kind
        )
        started = time.perf_counter()

        def report(step, done, total):
            if options["verbosity"] > 1:
                self.stdout.write(f"  [{done}/{total}] {step}")

        try:
            district = district_provision(spec=spec, progress=report)
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
            ) from exc
        except ProvisioningError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{district.name}: {district.status}, schema {district.schema_name} ({elapsed:.2f} s)"
            )
        )
