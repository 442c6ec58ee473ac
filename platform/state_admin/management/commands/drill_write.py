"""Acknowledged writes for the recovery drill (deploy/drill.sh): ``drill_write --first N --count K``.

In the district (``--setup`` provisions a small one: an SP office, a dak clerk, a DSP), each write
is one transaction through the services people use: the dak clerk opens a file ``drill write <n>``,
uploads a one-page PDF to it and sends it to the DSP (HQ) (a movement). ``ack <n>`` is printed only
after that transaction has committed: the drill checks that exactly the acknowledged writes before
its moment T come back. Not for production data.
"""

import io
import time

import pypdf
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction

from core.base.audit import Actor
from core.efile.services.documents import document_upload
from core.efile.services.files import file_create
from core.efile.services.movement import file_send
from core.models import EFile, FileHead, Office, Post, Posting
from core.org import services as core_services
from state_admin.services.provisioning import DistrictSpec, district_provision
from tenants.context import district_context
from tenants.models import District
from tenants.services import person_get_or_create


def _holder(post_code: str) -> tuple[Actor, Post]:
    post = Post.objects.select_related("office").get(code=post_code)
    posting = Posting.objects.filter(post=post, ends_on__isnull=True).select_related("person").first()
    return Actor(person=posting.person, ip="127.0.0.1"), post


def _pdf(n: int) -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": f"drill {n}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _setup(slug: str) -> None:
    """A small live district for the drill: an SP office with a dak clerk and a DSP, each posted."""

    if District.objects.filter(slug=slug).exists():
        return
    district = district_provision(spec=DistrictSpec(slug=slug, name="Drill", name_hi="अभ्यास"))
    with district_context(district.schema_name):
        office = core_services.office_create(code="sp-office", name="SP office", kind=Office.Kind.SP_OFFICE)
        Office.objects.filter(pk=office.pk).update(status=Office.Status.LIVE)
        for code, kind in (("dak-clerk", Post.Kind.CLERK), ("dsp-hq", Post.Kind.DSP)):
            person, _ = person_get_or_create(
                login_id=f"{code}.{slug}", full_name=f"Drill {code}", email=f"{code}.{slug}@example.org",
                password=None, must_set_password=True,
            )  # fmt: skip
            post = core_services.post_create(office=office, code=code, title=code, kind=kind)
            core_services.posting_start(person=person, post=post)


class Command(BaseCommand):
    help = "The drill's writes: open a file, upload a PDF, send it on; print 'ack N' after each commit."

    def add_arguments(self, parser):
        parser.add_argument("--district", default="vaishali")
        parser.add_argument("--first", type=int, required=True)
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--pause", type=float, default=0.0, help="Seconds between writes.")
        parser.add_argument("--setup", action="store_true", help="Provision the drill's district first.")

    def handle(self, *args, district: str, first: int, count: int, pause: float, setup: bool, **options):
        if setup:
            _setup(district)
        with district_context(district):
            clerk, clerk_post = _holder("dak-clerk")
            _dsp, dsp_post = _holder("dsp-hq")
            head = FileHead.objects.get(code="GEN", office=None)
            for n in range(first, first + count):
                with transaction.atomic():
                    file = file_create(
                        actor=clerk, post=clerk_post, head=head, subject=f"drill write {n}",
                        category=EFile.Category.ADMINISTRATION,
                    )  # fmt: skip
                    upload = SimpleUploadedFile(f"drill-{n}.pdf", _pdf(n), content_type="application/pdf")
                    document_upload(actor=clerk, file=file, uploads=[upload])
                    file_send(actor=clerk, file=file, to_post=dsp_post, remarks=f"drill {n}")
                self.stdout.write(f"ack {n} {time.time():.6f}")
                self.stdout.flush()
                if pause:
                    time.sleep(pause)
