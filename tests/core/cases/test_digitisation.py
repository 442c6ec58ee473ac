"""Old-case digitisation through the services and the real task function: a batch's rows checked
one by one (unknown cases, cases the uploader may not see, missing files, duplicates, bad numbers,
refused scans) with a report; corrupt zips and bad manifests; the quality check by a second person;
sent back and digitised again; targets and the figures per thana."""

import csv
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from core.base.access import viewer_for
from core.cases.selectors.digitisation import digitisation_overview
from core.cases.services.digitisation.actions import (
    case_digitisation_check,
    case_digitisation_mark,
    case_digitisation_send_back,
    digitisation_batch_upload,
    digitisation_target_set,
)
from core.cases.tasks import digitisation_batch_run_task
from core.models import AuditEvent, CaseDigitisation, DigitisationBatch, DigitisationTarget, Document
from tenants.context import district_context
from tests.core.cases.casework import register, second_thana, stored_files
from tests.core.efile import samples
from tests.core.efile.samples import upload

S = CaseDigitisation.Status


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_zip(files: dict[str, bytes], *, stored: bool = False) -> bytes:
    out = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def make_manifest(rows, header=("thana_code", "year", "fir_number", "file", "title")) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def upload_batch(ef, key, files, rows, **zip_options) -> DigitisationBatch:
    return digitisation_batch_upload(
        actor=ef.actor(key),
        zip_upload=upload("scans.zip", make_zip(files, **zip_options)),
        manifest_upload=upload("manifest.csv", make_manifest(rows)),
    )


def run(batch) -> DigitisationBatch:
    digitisation_batch_run_task.call_local("vaishali", batch_id=batch.pk, language="en")
    with district_context("vaishali"):
        batch.refresh_from_db()
    return batch


@pytest.fixture
def old_cases(ef):
    """Mahua 10/2009 and 11/2009 (seen by SI Mahua), Lalganj 12/2009 (not seen by SI Mahua)."""
    with district_context("vaishali"):
        lalganj = second_thana(ef)
        return {
            10: register(ef, fir_number=10, year=2009),
            11: register(ef, fir_number=11, year=2009),
            12: register(ef, key="sp", thana=lalganj, fir_number=12, year=2009),
        }


def test_a_batch_takes_good_rows_and_reports_each_row_it_cannot_take(ef, media, old_cases):
    files = {"a.pdf": samples.pdf_bytes(2), "dir/b.png": samples.image_bytes(), "bad.pdf": samples.HTML}
    rows = [
        ["PSMAH", "2009", "10", "a.pdf", "FIR"],  # 2: taken (short code)
        ["ef-thana-mahua", "2009", "11", "b.png", ""],  # 3: taken (code; bare name in a folder)
        ["psmah", "2009", "10", "./a.pdf", "again"],  # 4: duplicate of row 2
        ["PSMAH", "2009", "99", "a.pdf", ""],  # 5: no such case
        ["PSXXX", "2009", "10", "a.pdf", ""],  # 6: no such thana
        ["PSMAH", "20x9", "10", "a.pdf", ""],  # 7: bad year
        ["PSMAH", "2009", "11", "missing.pdf", ""],  # 8: not in the zip
        ["ef-thana-lalganj", "2009", "12", "a.pdf", ""],  # 9: a case SI Mahua may not see
        ["PSMAH", "2009", "11", "bad.pdf", ""],  # 10: refused by the upload checks
    ]
    with district_context("vaishali"):
        batch = upload_batch(ef, "si", files, rows)
        assert batch.status == DigitisationBatch.Status.QUEUED and batch.rows_total == 9
    batch = run(batch)
    assert batch.status == DigitisationBatch.Status.DONE, batch.error
    assert (batch.rows_done, batch.rows_taken, batch.documents_added) == (9, 2, 2)
    assert [(entry["row"], entry["code"]) for entry in batch.report] == [
        (4, "duplicate"),
        (5, "unknown_case"),
        (6, "unknown_thana"),
        (7, "bad_number"),
        (8, "no_file"),
        (9, "unknown_case"),
        (10, "refused"),
    ]
    reasons = {entry["row"]: entry["detail"] for entry in batch.report}
    assert reasons[4] == "The same file for the same case as row 2."
    assert reasons[5] == "Case 99/2009 of this thana is not in the register, or you may not see it."
    assert reasons[6] == "No thana has the code PSXXX."
    assert reasons[8] == "The zip file holds no file named missing.pdf."
    assert reasons[9] == "Case 12/2009 of this thana is not in the register, or you may not see it."
    assert "bad.pdf" in reasons[10] and "web page" in reasons[10].lower()
    with district_context("vaishali"):
        assert [d.title for d in Document.objects.filter(case=old_cases[10])] == ["FIR"]
        assert [d.title for d in Document.objects.filter(case=old_cases[11])] == ["b"]
        assert not Document.objects.filter(case=old_cases[12]).exists()
        rows = {row.case_id: row for row in CaseDigitisation.objects.all()}
        assert set(rows) == {old_cases[10].pk, old_cases[11].pk}
        assert all(
            (r.status, r.digitised_by, r.digitised_post, r.batch_id)
            == (S.DIGITISED, ef.people["si"], ef.posts["si"], batch.pk)
            for r in rows.values()
        )
        assert AuditEvent.objects.filter(action="case.digitise").count() == 2
        assert AuditEvent.objects.filter(action="digitisation.batch_done", target_id=str(batch.pk)).exists()
    # The zip, the manifest, two scans and their previews; no temporary file left.
    assert len(stored_files(media)) == 6 and not [n for n in stored_files(media) if "/tmp/" in n]
    # Run again (a repeated task): nothing more happens.
    assert digitisation_batch_run_task.call_local("vaishali", batch_id=batch.pk) is False
    with district_context("vaishali"):
        assert Document.objects.count() == 2


@pytest.mark.parametrize(
    ("zip_data", "manifest", "field", "message"),
    [
        (
            b"this is not a zip",
            make_manifest([["PSMAH", "2009", "10", "a.pdf", ""]]),
            "zip",
            "damaged or is not a zip",
        ),
        (
            make_zip({"a.pdf": samples.pdf_bytes()})[:-30],
            make_manifest([["PSMAH", "2009", "10", "a.pdf", ""]]),
            "zip",
            "damaged",
        ),
        (make_zip({}), make_manifest([["PSMAH", "2009", "10", "a.pdf", ""]]), "zip", "holds no files"),
        (make_zip({"a.pdf": samples.pdf_bytes()}), b"\xff\xfe\x00garbage", "manifest", "not a CSV"),
        (
            make_zip({"a.pdf": samples.pdf_bytes()}),
            make_manifest([["PSMAH", "2009"]], header=("thana_code", "year")),
            "manifest",
            "fir_number, file",
        ),
        (make_zip({"a.pdf": samples.pdf_bytes()}), make_manifest([]), "manifest", "no rows"),
        (make_zip({"a.pdf": samples.pdf_bytes()}), b"", "manifest", "empty"),
    ],
)
def test_a_corrupt_zip_or_a_bad_manifest_is_refused_at_upload_and_nothing_is_stored(
    ef, media, old_cases, zip_data, manifest, field, message
):
    with district_context("vaishali"):
        with pytest.raises(ValidationError) as refused:
            digitisation_batch_upload(
                actor=ef.actor("si"),
                zip_upload=upload("s.zip", zip_data),
                manifest_upload=upload("m.csv", manifest),
            )
        assert message in " ".join(refused.value.message_dict[field])
        assert not DigitisationBatch.objects.exists()
    assert stored_files(media) == []


def deflate64_zip() -> bytes:
    """A zip whose one member says it is compressed with Deflate64 (method 9), which Windows
    Explorer writes for large files and Python cannot unpack."""
    data = bytearray(make_zip({"a.pdf": samples.pdf_bytes()}, stored=True))
    data[data.index(b"PK\x03\x04") + 8] = 9  # the local header's method
    data[data.index(b"PK\x01\x02") + 10] = 9  # the central directory's
    return bytes(data)


def test_a_zip_compressed_in_a_way_python_cannot_read_is_refused_at_upload(ef, media, old_cases):
    with district_context("vaishali"):
        with pytest.raises(ValidationError) as refused:
            digitisation_batch_upload(
                actor=ef.actor("si"),
                zip_upload=upload("s.zip", deflate64_zip()),
                manifest_upload=upload("m.csv", make_manifest([["PSMAH", "2009", "10", "a.pdf", ""]])),
            )
        assert "cannot be read" in " ".join(refused.value.message_dict["zip"])
        assert not DigitisationBatch.objects.exists()
    assert stored_files(media) == []


def test_a_zip_with_a_damaged_scan_ends_the_batch_failed_with_no_row_taken(ef, media, old_cases):
    good, damaged = samples.pdf_bytes(), bytearray(samples.pdf_bytes())
    data = bytearray(make_zip({"a.pdf": good, "b.pdf": bytes(damaged)}, stored=True))
    at = data.rindex(b"%%EOF")  # inside b.pdf's stored bytes: its CRC no longer matches
    data[at] ^= 0xFF
    rows = [["PSMAH", "2009", "10", "a.pdf", ""], ["PSMAH", "2009", "11", "b.pdf", ""]]
    with district_context("vaishali"):
        batch = digitisation_batch_upload(
            actor=ef.actor("si"),
            zip_upload=upload("s.zip", bytes(data)),
            manifest_upload=upload("m.csv", make_manifest(rows)),
        )
    batch = run(batch)
    assert batch.status == DigitisationBatch.Status.FAILED and "b.pdf" in batch.error
    assert batch.rows_taken == 0 and batch.finished_at is not None
    with district_context("vaishali"):
        assert not Document.objects.exists() and not CaseDigitisation.objects.exists()
        assert AuditEvent.objects.filter(action="digitisation.batch_fail").count() == 1


def test_someone_with_no_thana_cannot_upload_a_batch(ef, media):
    with district_context("vaishali"), pytest.raises(ValidationError, match="no thana"):
        upload_batch(ef, "clerk", {"a.pdf": samples.pdf_bytes()}, [["PSMAH", "2009", "10", "a.pdf", ""]])
    assert stored_files(media) == []


def _digitised(ef, old_cases, key="si", numbers=(10,), name="a.pdf"):
    rows = [["PSMAH", "2009", str(n), name, ""] for n in numbers]
    with district_context("vaishali"):
        batch = upload_batch(ef, key, {name: samples.pdf_bytes()}, rows)
    return run(batch)


def test_the_digitiser_cannot_check_their_own_case_and_a_second_person_can(ef, media, old_cases):
    _digitised(ef, old_cases)
    case = old_cases[10]
    with district_context("vaishali"):
        with pytest.raises(ValidationError, match="second person"):
            case_digitisation_check(actor=ef.actor("si"), case=case)
        with pytest.raises(ValidationError, match="may not add papers"):
            case_digitisation_check(actor=ef.actor("mahnar"), case=case)
        row = case_digitisation_check(actor=ef.actor("sho"), case=case, remarks="All pages legible.")
        assert (row.status, row.checked_by, row.checked_post) == (
            S.CHECKED,
            ef.people["sho"],
            ef.posts["sho"],
        )
        with pytest.raises(ValidationError, match="not waiting"):
            case_digitisation_check(actor=ef.actor("sdpo"), case=case)
        with pytest.raises(ValidationError, match="not waiting"):
            case_digitisation_check(actor=ef.actor("sho"), case=old_cases[11])
        assert (
            AuditEvent.objects.filter(action="case.digitisation_check", target_id=str(case.pk)).count() == 1
        )


def test_a_case_sent_back_is_digitised_again_by_a_new_batch_or_by_hand(ef, media, old_cases):
    _digitised(ef, old_cases, numbers=(10, 11))
    with district_context("vaishali"):
        with pytest.raises(ValidationError):
            case_digitisation_send_back(actor=ef.actor("sho"), case=old_cases[10], remarks="  ")
        row = case_digitisation_send_back(
            actor=ef.actor("sho"), case=old_cases[10], remarks="Page 3 missing."
        )
        assert row.status == S.SENT_BACK and row.remarks == "Page 3 missing."
        case_digitisation_send_back(actor=ef.actor("sho"), case=old_cases[11], remarks="Blurred.")
    again = _digitised(ef, old_cases, numbers=(10,), name="page3.pdf")
    assert again.rows_taken == 1
    with district_context("vaishali"):
        row = CaseDigitisation.objects.get(case=old_cases[10])
        assert (row.status, row.batch_id, row.checked_by, row.checked_at) == (
            S.DIGITISED,
            again.pk,
            None,
            None,
        )
        assert Document.objects.filter(case=old_cases[10]).count() == 2
        # By hand: papers uploaded on the case page, then marked digitised again.
        row = case_digitisation_mark(actor=ef.actor("sho"), case=old_cases[11])
        assert (row.status, row.digitised_by, row.batch) == (S.DIGITISED, ef.people["sho"], None)
        with pytest.raises(ValidationError, match="already waiting"):
            case_digitisation_mark(actor=ef.actor("sho"), case=old_cases[11])
        with pytest.raises(ValidationError, match="papers first"):
            case_digitisation_mark(actor=ef.actor("sp"), case=old_cases[12])
        # The SI digitised case 10 again; the SHO may check it now, the SI still may not.
        with pytest.raises(ValidationError, match="second person"):
            case_digitisation_check(actor=ef.actor("si"), case=old_cases[10])
        assert case_digitisation_check(actor=ef.actor("sho"), case=old_cases[10]).status == S.CHECKED


def test_supervisors_set_targets_and_the_figures_count_per_thana(ef, media, old_cases):
    mahua = ef.offices["ef-thana-mahua"]
    with district_context("vaishali"):
        for key in ("sho", "si", "mahnar", "clerk"):
            with pytest.raises(ValidationError, match="may not set the target"):
                digitisation_target_set(actor=ef.actor(key), thana=mahua, target=4)
        with pytest.raises(ValidationError, match="from 1 to"):
            digitisation_target_set(actor=ef.actor("sdpo"), thana=mahua, target=0)
        with pytest.raises(ValidationError, match="may not set the target"):
            digitisation_target_set(actor=ef.actor("sdpo"), thana=ef.offices["ef-sdpo-mahua"], target=4)
        digitisation_target_set(actor=ef.actor("sdpo"), thana=mahua, target=5)
        target = digitisation_target_set(actor=ef.actor("sp"), thana=mahua, target=4)
        assert DigitisationTarget.objects.get(office=mahua).target == 4 and target.set_by == ef.people["sp"]
        with pytest.raises(ValidationError, match="Nothing was changed"):
            digitisation_target_set(actor=ef.actor("sp"), thana=mahua, target=4)
        event = AuditEvent.objects.filter(action="digitisation.target_set").order_by("-id").first()
        assert (
            event.details == {"office": mahua.pk, "from": 5, "to": 4} and event.post_id == ef.posts["sp"].pk
        )
    _digitised(ef, old_cases, numbers=(10, 11))
    with district_context("vaishali"):
        case_digitisation_check(actor=ef.actor("sho"), case=old_cases[10])

        def figures(key):
            return {
                row["thana"].code: (
                    row["target"],
                    row["digitised"],
                    row["checked"],
                    row["waiting"],
                    row["sent_back"],
                    row["percent"],
                )
                for row in digitisation_overview(viewer_for(ef.people[key]))
            }

        assert figures("sdpo") == {"ef-thana-mahua": (4, 2, 1, 1, 0, 50)}
        assert figures("sp")["ef-thana-mahua"] == (4, 2, 1, 1, 0, 50)
        assert figures("sp")["ef-thana-lalganj"] == (None, 0, 0, 0, 0, None)
        assert figures("mahnar") == {"ef-thana-lalganj": (None, 0, 0, 0, 0, None)}
        case_digitisation_send_back(actor=ef.actor("sho"), case=old_cases[11], remarks="Blurred.")
        assert figures("sho") == {"ef-thana-mahua": (4, 1, 1, 0, 1, 25)}
        assert figures("clerk") == {}
