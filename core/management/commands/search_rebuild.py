"""Rebuild the search index from scratch: ``python manage.py search_rebuild --district vaishali``,
or every district with a schema when no district is named. Prints the rows per kind and the time.
Searches keep answering from the old index until a district's rebuild commits."""

from django.core.management.base import BaseCommand, CommandError

from core.search.index import search_index_rebuild
from tenants.context import district_context
from tenants.models import STATUSES_WITH_SCHEMA, District


class Command(BaseCommand):
    help = "Rebuild the search index of one district (--district <slug>) or of every district."

    def add_arguments(self, parser):
        parser.add_argument("--district", help="The district's slug, e.g. vaishali (default: all).")

    def handle(self, *args, district: str | None, **options):
        if district:
            found = District.objects.filter(slug=district.strip().lower()).first()
            if found is None:
                raise CommandError(f"No district with the slug {district!r}.")
            if not found.has_schema:
                raise CommandError(f"{found.name} is {found.status}; it has no records to index yet.")
            districts = [found]
        else:
            districts = list(District.objects.filter(status__in=STATUSES_WITH_SCHEMA).order_by("slug"))
        for each in districts:
            with district_context(each.schema_name):
                counts = search_index_rebuild()
            seconds = counts.pop("seconds")
            rows = ", ".join(f"{kind} {n}" for kind, n in counts.items())
            self.stdout.write(f"{each.slug}: {sum(counts.values())} rows ({rows}) in {seconds:.2f} s")
