"""(Re)read the text of a district's stored documents: ``python manage.py ocr_documents --district
vaishali`` reads the latest version of every document again (corrections and manual indexing of a
page are kept); ``--missing`` only those never read or with a page that failed. For documents
uploaded before OCR was installed, or after a better language pack arrived."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Exists, OuterRef

from core.models import DocumentVersion
from core.models.search import DocumentPage
from core.ocr.engine import ocr_available, ocr_missing
from core.ocr.services import document_ocr
from tenants.context import district_context
from tenants.models import District


class Command(BaseCommand):
    help = "Read (OCR) the documents of a district again, or with --missing those not read yet."

    def add_arguments(self, parser):
        parser.add_argument("--district", required=True, help="The district's slug, e.g. vaishali.")
        parser.add_argument(
            "--missing", action="store_true", help="Only versions never read, or with a page that failed."
        )
        parser.add_argument(
            "--all-versions", action="store_true", help="Earlier versions too, not only the latest."
        )

    def handle(self, *args, district: str, missing: bool, all_versions: bool, **options):
        found = District.objects.filter(slug=district.strip().lower()).first()
        if found is None:
            raise CommandError(f"No district with the slug {district!r}.")
        if not found.has_schema:
            raise CommandError(f"{found.name} is {found.status}; it has no documents yet.")
        if not ocr_available():
            self.stderr.write(
                "OCR is not available (install: "
                + " ".join(ocr_missing())
                + "); only PDF text layers are read."
            )
        with district_context(found.schema_name):
            versions = DocumentVersion.objects.select_related("document").order_by("id")
            if not all_versions:
                latest = DocumentVersion.objects.filter(
                    document=OuterRef("document"), number__gt=OuterRef("number")
                )
                versions = versions.exclude(Exists(latest))
            if missing:
                pages = DocumentPage.objects.filter(version=OuterRef("pk"))
                versions = versions.filter(
                    ~Exists(pages) | Exists(pages.filter(status=DocumentPage.Status.FAILED))
                )
            done = pages_read = 0
            for version in versions.iterator():
                result = document_ocr(version=version)
                done += 1
                pages_read += len(result)
                self.stdout.write(
                    f"{found.slug}: document {version.document_id} v{version.number}: {len(result)} page(s)"
                )
        self.stdout.write(f"{found.slug}: {done} version(s), {pages_read} page(s) read")
