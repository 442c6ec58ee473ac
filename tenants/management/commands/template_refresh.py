from django.core.management.base import BaseCommand

from tenants.schemas import template_name, template_refresh


class Command(BaseCommand):
    help = "Migrate the district template schema that new districts are cloned from. Run after `migrate`."

    def handle(self, *args, **options):
        template_refresh()
        self.stdout.write(f"Template schema {template_name()} is current.")
