"""Rebuild the search index from scratch: ``python manage.py search_rebuild --district vaishali``,
or every district with a schema when no district is named. Prints the rows per kind and the time.
Searches keep answering from the old index until a district's rebuild commits.

``--glossary`` rewrites only the police glossary's terms and the rows' tokens of them
(``core.search.glossary_index``): run it after ``core/search/data/police_glossary.txt`` changes.
Until it runs, a changed term is searched by its forms, as before the tokens (correct, slower)."""

import time

from django.core.management.base import BaseCommand, CommandError

from core.search.glossary_index import glossary_refresh
from core.search.index import search_index_rebuild
from tenants.context import district_context
from tenants.models import STATUSES_WITH_SCHEMA, District


class Command(BaseCommand):
    help = "Rebuild the search index of one district (--district <slug>) or of every district."

    def add_arguments(self, parser):
        parser.add_argument("--district", help="The district's slug, e.g. vaishali (default: all).")
        parser.add_argument(
            "--glossary",
            action="store_true",
            help="Rewrite only the glossary's terms and the rows' tokens of them (after it changes).",
        )

    def handle(self, *args, district: str | None, glossary: bool = False, **options):
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
            if glossary:
                started = time.monotonic()
                with district_context(each.schema_name):
                    done = glossary_refresh()
                self.stdout.write(
                    f"{each.slug}: glossary {done['terms']} terms ({done['added']} new, {done['dropped']} "
                    f"gone), {done['rows']} rows re-tokenized in {time.monotonic() - started:.2f} s"
                )
                continue
            with district_context(each.schema_name):
                counts = search_index_rebuild()
            seconds = counts.pop("seconds")
            rows = ", ".join(f"{kind} {n}" for kind, n in counts.items())
            self.stdout.write(f"{each.slug}: {sum(counts.values())} rows ({rows}) in {seconds:.2f} s")
