import re

import pytest
from django.core.management import call_command

from core.models import Office, Posting
from state_admin.demo import DEMO_PASSWORD, OFFICERS
from tenants.context import district_context
from tenants.models import District, User
from tests.core.ocr.conftest import tesseract  # noqa: F401
from tests.helpers import HostClient, host_for

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    with district_context("vaishali"):
        offices, postings = Office.objects.count(), Posting.objects.count()
    return User.objects.count(), District.objects.count(), offices, postings


def test_demo_seed_builds_phase_one_of_vaishali_once(world, capsys):
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo", print_logins=True)
    assert _counts() == first
    assert "sdpo.lalganj" in capsys.readouterr().out
    with district_context("vaishali"):
        codes = set(Office.objects.filter(status=Office.Status.LIVE).values_list("code", flat=True))
        assert {"sp-office", "police-line-hajipur", "sdpo-mahua", "sdpo-mahnar", "sdpo-lalganj"} <= codes
        assert Office.objects.get(code="police-line-hajipur").name_hi.startswith("पुलिस लाइन")
    assert set(District.objects.filter(status=District.Status.PLANNED).values_list("slug", flat=True)) >= {
        "sitamarhi",
        "sheohar",
    }
    assert len(OFFICERS) == 9


def test_demo_has_dak_and_files_on_the_move_in_vaishali(world):
    from core.base.audit import audit_verify
    from core.models import EFile, Note, Receipt

    call_command("seed_demo")
    call_command("seed_demo")  # adds no second set
    with district_context("vaishali"):
        assert Receipt.objects.count() == 3
        assert Receipt.objects.order_by("serial").first().diary_number == "SPVAI/2025/000001"
        rollout = EFile.objects.get(subject__startswith="इ-ऑफिस परियोजना")
        assert rollout.current_post.code == "sp" and rollout.received_at is None
        assert list(Note.objects.filter(file=rollout).values_list("frozen", flat=True)) == [True, True]
        assert rollout.receipts.count() == 1
        assert EFile.objects.get(confidentiality="confidential").current_post.code == "sdpo-mahua"
        assert audit_verify().ok


def test_demo_officer_signs_in_with_the_printed_password(world):
    call_command("seed_demo")
    client = HostClient("vaishali")
    assert client.sign_in("sdpo.mahnar", DEMO_PASSWORD).status_code == 302
    assert "SDPO Mahnar" in client.get("/").text


def test_demo_has_cases_in_three_thanas_with_progress_and_an_sp_review(world):
    from core.models import Case, CaseCustody, CaseProgress, CaseReview

    call_command("seed_demo")
    call_command("seed_demo")  # adds no second set
    with district_context("vaishali"):
        thanas = set(Case.objects.values_list("thana__code", flat=True))
        assert thanas == {"thana-mahua", "thana-mahnar", "thana-lalganj"}
        assert Case.objects.count() == 11  # eight current, three old ones digitised
        assert CaseProgress.objects.count() >= 8
        sp_review = CaseReview.objects.get(post__code="sp")
        assert sp_review.complied_on is None  # waiting for the IO
        assert CaseReview.objects.filter(complied_on__isnull=False).count() == 1
        assert CaseCustody.objects.filter(to_place="court").exists()
        assert Case.objects.get(year=2024).status == Case.Status.FINAL_REPORT
        assert Case.objects.filter(year__lt=2021, status=Case.Status.DISPOSED).count() == 3
    client = HostClient("vaishali")
    assert client.sign_in("sho.lalganj", DEMO_PASSWORD).status_code == 302
    page = client.get("/cases/").text
    assert "Lalganj PS case 23/2024" in page and "Mahua PS" not in page


def test_demo_has_case_papers_digitisation_and_rti_in_every_state(world):
    from core.models import CaseDigitisation, DigitisationTarget, Document, RtiApplication, RtiReply

    call_command("seed_demo")
    call_command("seed_demo")  # adds no second set
    with district_context("vaishali"):
        assert Document.objects.filter(case__isnull=False).count() == 11
        assert DigitisationTarget.objects.count() == 3
        assert sorted(CaseDigitisation.objects.values_list("status", flat=True)) == [
            "checked",
            "digitised",
            "sent_back",
        ]
        assert set(RtiApplication.objects.values_list("status", flat=True)) == set(
            RtiApplication.Status.values
        )
        rejected = RtiApplication.objects.get(status="rejected")
        assert rejected.rejection_section == "8(1)(h)" and rejected.appeal_received_on is not None
        reply = RtiReply.objects.get(application__status="replied")
        assert reply.documents.count() == 1 and reply.language == "hi"
    pio = HostClient("vaishali")
    assert pio.sign_in("pio.vaishali", DEMO_PASSWORD).status_code == 302
    register = pio.get("/rti/").text
    # The PIO answers the SP office's applications and the one the APIO at SDPO Lalganj received.
    assert "रामबाबू सिंह" in register and "गीता देवी" in register
    mahnar = HostClient("vaishali")
    assert mahnar.sign_in("sdpo.mahnar", DEMO_PASSWORD).status_code == 302
    assert "रामबाबू सिंह" not in mahnar.get("/rti/").text


def test_demo_search_finds_mahua_a_fir_number_and_a_scanned_pages_words_in_vaishali_only(world, tesseract):
    """The issue's "done when": on the demo, "महुआ", "mahua", a FIR number and a word read off a
    scanned FIR copy find the right records in Vaishali, and nothing in another district."""
    from core.models import Document
    from core.ocr.services import document_ocr
    from core.search.index import search_index_rebuild

    call_command("seed_demo")
    with district_context("vaishali"):
        paper = (
            Document.objects.filter(case__isnull=False).select_related("case__thana").order_by("pk").first()
        )
        case = paper.case
        # What the worker does once the upload commits (the test's transaction never commits).
        pages = document_ocr(version=paper.versions.get())
        assert any("थानाध्यक्ष" in page.text for page in pages)
        search_index_rebuild()
    sp = HostClient("vaishali")
    assert sp.sign_in("sp.vaishali", DEMO_PASSWORD).status_code == 302
    for q in ("महुआ", "mahua"):
        html = sp.get("/search/", {"q": q}).text
        assert re.search(r'href="/cases/\d+/"', html) and re.search(r'href="/files/\d+/"', html), q
    jump = sp.get("/search/", {"q": f"{case.fir_number}/{case.year}"})
    if jump.status_code == 302:  # the number is one case's alone
        assert jump.url == f"/cases/{case.pk}/"
    else:  # the same number at several thanas: every one listed
        assert f'href="/cases/{case.pk}/"' in jump.text
    html = sp.get("/search/", {"q": "थानाध्यक्ष हस्ताक्षर"}).text
    assert f'href="/documents/{paper.pk}/download/"' in html
    east = HostClient("muzaffarpur")
    east.sign_in("sdpo.east")
    for q in ("mahua", "महुआ", "थानाध्यक्ष"):
        html = east.get("/search/", {"q": q}).text
        assert re.search(r'href="/(cases|files|dak|documents|rti)/\d', html) is None, q
    # Vaishali's SP on Muzaffarpur's host: not posted there, no search
    assert sp.get("/search/", {"q": "mahua"}, HTTP_HOST=host_for("muzaffarpur")).status_code in (302, 403)
