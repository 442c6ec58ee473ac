"""A case's papers: uploaded, versioned, downloaded and previewed through the e-File's document
pages by whoever may see the case, audited with the case's label, and 404 to everyone else (another
district's officer with ids that exist in both districts, a same-district officer without sight of
the case, the anonymous)."""

import pytest
from django.core.exceptions import ValidationError

from core.base.access import document_for, viewer_for
from core.base.storage import stored_path
from core.efile.services.documents import document_upload, document_version_add
from core.models import AuditEvent, Case, Document
from tenants.context import district_context
from tests.core.cases.casework import muzaffarpur_sho, next_case_id_in_both_districts, register, stored_files
from tests.core.efile import samples
from tests.core.efile.samples import upload
from tests.helpers import HostClient, next_id_in_both_districts, sign_in_refused


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_whoever_sees_a_case_uploads_its_papers_even_when_disposed_audited_with_its_label(ef, media):
    pdf = samples.pdf_bytes(2)
    with district_context("vaishali"):
        case = register(ef, fir_number=7)
        Case.objects.filter(pk=case.pk).update(status=Case.Status.DISPOSED)
        [document] = document_upload(actor=ef.actor("si"), case=case, uploads=[upload("fir.pdf", pdf)])
        assert document.case == case and document.file is None and document.receipt is None
        assert document.created_post == ef.posts["si"]
        version = document.versions.get()
        assert stored_path(version.stored_name).read_bytes() == pdf and version.pages == 2
        event = AuditEvent.objects.get(action="document.upload", target_id=str(document.pk))
        assert event.details["case"] == case.label and event.summary == f"{case.label}: fir"
        assert event.post_id == ef.posts["si"].pk
        again = document_version_add(
            actor=ef.actor("sdpo"), document=document, upload=upload("f.png", samples.image_bytes())
        )
        assert again.number == 2 and again.uploaded_post == ef.posts["sdpo"]
        for key in ("si", "sho", "sdpo", "sp"):
            assert document_for(viewer_for(ef.people[key]), document.pk) == document, key
        for key in ("clerk", "pio", "mahnar", "sdpoclerk"):
            assert document_for(viewer_for(ef.people[key]), document.pk) is None, key


@pytest.mark.parametrize("key", ["clerk", "mahnar", "sdpoclerk"])
def test_an_officer_who_cannot_see_the_case_cannot_upload_and_nothing_is_kept(ef, media, key):
    with district_context("vaishali"):
        case = register(ef)
        with pytest.raises(ValidationError, match="may not add papers"):
            document_upload(actor=ef.actor(key), case=case, uploads=[upload("a.pdf", samples.pdf_bytes())])
        assert not Document.objects.exists()
    assert stored_files(media) == []


def test_a_refused_scan_keeps_nothing_and_says_why_on_the_case_page(ef, media):
    with district_context("vaishali"):
        case = register(ef)
    sho = ef.client("sho")
    response = sho.post(
        f"/documents/case/{case.pk}/upload/",
        {"files": [upload("ok.pdf", samples.pdf_bytes()), upload("page.pdf", samples.HTML)]},
        follow=True,
    )
    assert response.status_code == 200 and "page.pdf" in response.content.decode()
    with district_context("vaishali"):
        assert not Document.objects.exists()
    assert not [name for name in stored_files(media) if "/documents/" in name]


def test_papers_uploaded_on_the_case_page_are_shown_downloaded_and_previewed_by_a_supervisor(ef, media):
    pdf = samples.pdf_bytes()
    with district_context("vaishali"):
        case = register(ef)
    sho = ef.client("sho")
    response = sho.post(
        f"/documents/case/{case.pk}/upload/", {"title": "Charge-sheet", "files": [upload("cs.pdf", pdf)]}
    )
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/#papers"
    with district_context("vaishali"):
        document = Document.objects.get(case=case)
    page = sho.get(f"/cases/{case.pk}/").content.decode()
    assert "Charge-sheet" in page and f"/documents/{document.pk}/v1/download/" in page
    sdpo = ef.client("sdpo")
    download = sdpo.get(f"/documents/{document.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf
    preview = sdpo.get(f"/documents/{document.pk}/preview.png")
    assert preview.status_code == 200 and b"".join(preview.streaming_content).startswith(b"\x89PNG")
    with district_context("vaishali"):
        reads = AuditEvent.objects.filter(
            target_id=str(document.pk), action__in=["document.download", "document.preview"]
        )
        assert sorted((e.action, e.post_id, e.details["case"]) for e in reads) == [
            ("document.download", ef.posts["sdpo"].pk, case.label),
            ("document.preview", ef.posts["sdpo"].pk, case.label),
        ]


def test_case_papers_are_404_to_outsiders_and_another_district_with_the_same_ids(ef, media, world):
    from core.cases.services.register import case_register
    from tests.core.cases.casework import a_date

    mzp_thana, mzp_actor = muzaffarpur_sho(ef)
    shared_case = next_case_id_in_both_districts()
    shared_document = next_id_in_both_districts("core_document")
    with district_context("vaishali"):
        case = register(ef, fir_number=5)
        [document] = document_upload(
            actor=ef.actor("sho"), case=case, uploads=[upload("v.pdf", samples.pdf_bytes())]
        )
    with district_context("muzaffarpur"):
        other = case_register(
            actor=mzp_actor,
            thana=mzp_thana,
            year=case.year,
            fir_number=5,
            registered_on=a_date(),
            sections="X",
        )
    assert case.pk == other.pk == shared_case and document.pk == shared_document
    urls = [
        ("post", f"/documents/case/{case.pk}/upload/"),
        ("post", f"/documents/{document.pk}/versions/new/"),
        ("get", f"/documents/{document.pk}/download/"),
        ("get", f"/documents/{document.pk}/v1/download/"),
        ("get", f"/documents/{document.pk}/preview.png"),
    ]
    outsiders = {key: ef.client(key) for key in ("clerk", "pio", "mahnar", "sdpoclerk")}
    outsiders["anonymous"] = HostClient("vaishali")
    for who, client in outsiders.items():
        for method, url in urls:
            data = {
                "files": [upload("x.pdf", samples.pdf_bytes())],
                "file": [upload("y.pdf", samples.pdf_bytes())],
            }
            response = getattr(client, method)(url, data if method == "post" else None)
            assert response.status_code == 404, (who, url, response.status_code)
    # On their own host, the Muzaffarpur officer's ids are their own: Vaishali's paper is not there.
    mzp = ef.client("other")
    for method, url in urls[1:]:
        assert getattr(mzp, method)(url).status_code == 404, url
    response = mzp.post(
        f"/documents/case/{case.pk}/upload/", {"files": [upload("m.pdf", samples.pdf_bytes())]}
    )
    assert response.status_code == 302
    with district_context("muzaffarpur"):
        assert Document.objects.filter(case_id=other.pk).count() == 1
    with district_context("vaishali"):
        assert Document.objects.filter(case=case).count() == 1
        assert not AuditEvent.objects.filter(action__in=["document.download", "document.preview"]).exists()
    assert sign_in_refused(HostClient("vaishali").sign_in(ef.people["other"].login_id))
