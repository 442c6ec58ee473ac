"""Zip bombs and hostile zips in old-case digitisation: each is refused with its reason, quickly,
having unpacked no more than the limits allow (the bytes read are counted), leaving no row and no
file behind; a normal batch is still taken."""

import io
import struct
import time
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError

from core.base.storage import stored_path
from core.cases.services.digitisation import archive as digitisation_zip
from core.cases.services.digitisation.actions import digitisation_batch_upload
from core.models import AuditEvent, CaseDigitisation, DigitisationBatch, Document
from tenants.context import district_context
from tests.core.cases.casework import stored_files
from tests.core.cases.test_digitisation import make_manifest, make_zip, old_cases, run  # noqa: F401
from tests.core.efile import samples
from tests.core.efile.samples import upload

GiB, MiB = 1 << 30, 1 << 20
ROW = ["PSMAH", "2009", "10", "a.pdf", ""]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def unpacked(monkeypatch):
    """How many bytes were unpacked out of any zip member (every read of a member counted)."""
    count = {"bytes": 0}
    real = zipfile.ZipExtFile.read

    def read(self, n=-1):
        data = real(self, n)
        count["bytes"] += len(data)
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", read)
    return count


@pytest.fixture(scope="module")
def bzip2_bomb(tmp_path_factory) -> bytes:
    """A zip of about 1 KB holding one bzip2 member of 1 GiB of zeros, written a megabyte at a
    time (1 GiB is never held in memory)."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.zip"
    zeros = bytes(MiB)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_BZIP2) as archive, archive.open("a.pdf", "w") as member:
        for _ in range(GiB // MiB):
            member.write(zeros)
    return path.read_bytes()


def deflate_of_zeros(size: int) -> bytes:
    """A raw deflate stream of ``size`` zeros (a multiple of 1 MiB), made in milliseconds: each
    megabyte is compressed after a full flush, so every one compresses to the same bytes."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(MiB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert compressor.compress(bytes(MiB)) + compressor.flush(zlib.Z_FULL_FLUSH) == block
    return block * (size // MiB) + b"\x03\x00"  # an empty last block ends the stream


def crafted_zip(name: str, data: bytes, *, method: int, declared: int, crc: int, flags: int = 0) -> bytes:
    """A zip of one member whose headers say what the caller likes (``declared`` unpacked bytes)."""
    raw = name.encode()
    local = struct.pack(
        "<4sHHHHHIIIHH", b"PK\x03\x04", 20, flags, method, 0, 0, crc, len(data), declared, len(raw), 0
    )
    central = struct.pack(
        "<4sHHHHHHIIIHHHHHII",
        b"PK\x01\x02",
        20,
        20,
        flags,
        method,
        0,
        0,
        crc,
        len(data),
        declared,
        len(raw),
        0,
        0,
        0,
        0,
        0,
        0,
    )
    directory_at = len(local) + len(raw) + len(data)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central) + len(raw), directory_at, 0)
    return local + raw + data + central + raw + end


def refused_at_upload(ef, zip_data: bytes, rows=(ROW,)) -> str:
    with district_context("vaishali"):
        with pytest.raises(ValidationError) as refused:
            digitisation_batch_upload(
                actor=ef.actor("si"),
                zip_upload=upload("scans.zip", zip_data),
                manifest_upload=upload("m.csv", make_manifest(list(rows))),
            )
        assert not DigitisationBatch.objects.exists()
    return " ".join(refused.value.message_dict["zip"])


def nothing_taken(media, batch) -> None:
    with district_context("vaishali"):
        assert not Document.objects.exists() and not CaseDigitisation.objects.exists()
        assert AuditEvent.objects.filter(action="digitisation.batch_fail", target_id=str(batch.pk)).exists()
    # Only the batch's zip and manifest: no scan, no preview, no temporary file.
    assert len(stored_files(media)) == 2 and not [n for n in stored_files(media) if "/tmp/" in n]


def test_a_bzip2_bomb_is_refused_at_upload_without_unpacking_a_byte(
    ef, media, old_cases, unpacked, bzip2_bomb
):
    assert len(bzip2_bomb) < 2048
    started = time.monotonic()
    message = refused_at_upload(ef, bzip2_bomb)
    assert time.monotonic() - started < 2
    assert "compressed in a way that cannot be read" in message
    assert unpacked["bytes"] == 0
    assert stored_files(media) == []


def test_a_stored_bzip2_bomb_ends_its_batch_failed_without_unpacking_a_byte(
    ef, media, old_cases, unpacked, bzip2_bomb
):
    """A batch stored before the checks (or its zip swapped on disk): the run judges it again."""
    with district_context("vaishali"):
        batch = digitisation_batch_upload(
            actor=ef.actor("si"),
            zip_upload=upload("scans.zip", make_zip({"a.pdf": samples.pdf_bytes()})),
            manifest_upload=upload("m.csv", make_manifest([ROW])),
        )
        stored_path(batch.zip_stored).write_bytes(bzip2_bomb)
    started = time.monotonic()
    batch = run(batch)
    assert time.monotonic() - started < 5
    assert batch.status == DigitisationBatch.Status.FAILED
    assert "compressed in a way that cannot be read" in batch.error
    assert unpacked["bytes"] == 0 and batch.rows_taken == 0
    nothing_taken(media, batch)


def test_an_lzma_member_is_refused_at_upload(ef, media, old_cases, unpacked):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_LZMA) as archive:
        archive.writestr("a.pdf", samples.pdf_bytes())
    assert "compressed in a way that cannot be read" in refused_at_upload(ef, buffer.getvalue())
    assert unpacked["bytes"] == 0 and stored_files(media) == []


def test_a_deflate_bomb_whose_header_lies_is_read_no_further_than_it_says(ef, media, old_cases, unpacked):
    """1 GiB of zeros in about 1 MB of deflate, the headers saying 2 MiB (an innocent ratio of 2)
    with the CRC of 2 MiB of zeros: the member yields 2 MiB and no more, and is refused as a scan."""
    stream, declared = deflate_of_zeros(GiB), 2 * MiB
    assert len(stream) < 2 * MiB
    bomb = crafted_zip(
        "a.pdf", stream, method=zipfile.ZIP_DEFLATED, declared=declared, crc=zlib.crc32(bytes(declared))
    )
    with district_context("vaishali"):
        batch = digitisation_batch_upload(
            actor=ef.actor("si"),
            zip_upload=upload("scans.zip", bomb),
            manifest_upload=upload("m.csv", make_manifest([ROW])),
        )
    started = time.monotonic()
    batch = run(batch)
    assert time.monotonic() - started < 10
    # Read twice (checked, then taken), each time no further than the header says.
    assert unpacked["bytes"] <= 2 * declared
    assert batch.status == DigitisationBatch.Status.DONE and batch.rows_taken == 0
    assert [entry["code"] for entry in batch.report] == ["refused"]
    assert "only PDF, JPEG, PNG and TIFF" in batch.report[0]["detail"]
    nothing_left = [n for n in stored_files(media) if "/tmp/" in n]
    assert len(stored_files(media)) == 2 and not nothing_left


def test_a_deflate_bomb_whose_crc_does_not_match_fails_its_batch_having_read_what_it_says(
    ef, media, old_cases, unpacked
):
    stream, declared = deflate_of_zeros(GiB), 2 * MiB
    bomb = crafted_zip("a.pdf", stream, method=zipfile.ZIP_DEFLATED, declared=declared, crc=12345)
    with district_context("vaishali"):
        batch = digitisation_batch_upload(
            actor=ef.actor("si"),
            zip_upload=upload("scans.zip", bomb),
            manifest_upload=upload("m.csv", make_manifest([ROW])),
        )
    batch = run(batch)
    assert batch.status == DigitisationBatch.Status.FAILED and "damaged (a.pdf)" in batch.error
    assert unpacked["bytes"] <= declared
    nothing_taken(media, batch)


def test_a_member_that_unpacks_far_more_than_its_packed_size_is_refused_at_upload(
    ef, media, old_cases, unpacked
):
    bomb = crafted_zip(
        "a.pdf",
        deflate_of_zeros(16 * MiB),
        method=zipfile.ZIP_DEFLATED,
        declared=16 * MiB,
        crc=zlib.crc32(bytes(16 * MiB)),
    )
    message = refused_at_upload(ef, bomb)
    assert f"more than {digitisation_zip.MAX_RATIO} times its packed size" in message
    assert unpacked["bytes"] == 0


def test_members_declaring_more_than_the_limit_in_all_are_refused_at_upload(ef, media, old_cases, settings):
    settings.KARYALAY_UPLOAD_MAX_MB = 1  # one file 1 MB at most, the whole zip 20 MB unpacked
    files = {f"{n}.pdf": bytes(MiB - 1000) for n in range(25)}  # each under the ratio's floor
    message = refused_at_upload(ef, make_zip(files))
    assert "unpack to more than 20 MB in all" in message


def test_too_many_members_are_refused_before_the_directory_is_read(ef, media, old_cases, monkeypatch):
    files = {f"{n:05d}.pdf": b"" for n in range(digitisation_zip.MAX_ZIP_MEMBERS + 1)}
    data = make_zip(files, stored=True)

    def no_directory(*args, **kwargs):
        raise AssertionError("the zip's directory was read")

    monkeypatch.setattr(digitisation_zip.zipfile, "ZipFile", no_directory)
    assert "at most 10000 files" in refused_at_upload(ef, data)


def _with_flags(data: bytes, flags: int) -> bytes:
    data = bytearray(data)
    data[data.index(b"PK\x03\x04") + 6] = flags
    data[data.index(b"PK\x01\x02") + 8] = flags
    return bytes(data)


@pytest.mark.parametrize(
    ("zip_data", "says"),
    [
        (_with_flags(make_zip({"a.pdf": samples.pdf_bytes()}, stored=True), 1), "protected by a password"),
        (make_zip({"../../a.pdf": samples.pdf_bytes()}), "leaves its folder"),
        (make_zip({"/etc/a.pdf": samples.pdf_bytes()}), "leaves its folder"),
        (make_zip({"C:/Windows/a.pdf": samples.pdf_bytes()}), "leaves its folder"),
        (make_zip({"d/" * 40 + "a.pdf": samples.pdf_bytes()}), "nested too deep"),
    ],
    ids=["encrypted", "dot-dot", "absolute", "drive", "deep"],
)
def test_locked_members_and_unsafe_paths_are_refused_at_upload(
    ef, media, old_cases, unpacked, zip_data, says
):
    assert says in refused_at_upload(ef, zip_data)
    assert unpacked["bytes"] == 0 and stored_files(media) == []


def test_a_batch_past_its_time_budget_ends_failed_with_nothing_taken(ef, media, old_cases, monkeypatch):
    with district_context("vaishali"):
        batch = digitisation_batch_upload(
            actor=ef.actor("si"),
            zip_upload=upload("scans.zip", make_zip({"a.pdf": samples.pdf_bytes()})),
            manifest_upload=upload("m.csv", make_manifest([ROW])),
        )
    monkeypatch.setattr(digitisation_zip, "RUN_SECONDS", -1)
    batch = run(batch)
    assert batch.status == DigitisationBatch.Status.FAILED and "was stopped after" in batch.error
    nothing_taken(media, batch)


def test_a_batch_whose_budget_ends_between_rows_keeps_the_rows_taken_whole(ef, media, old_cases, monkeypatch):
    """The clock checked between rows: the first row is taken, then the budget is spent."""
    rows = [ROW, ["PSMAH", "2009", "11", "b.pdf", ""]]
    with district_context("vaishali"):
        batch = digitisation_batch_upload(
            actor=ef.actor("si"),
            zip_upload=upload(
                "scans.zip", make_zip({"a.pdf": samples.pdf_bytes(), "b.pdf": samples.pdf_bytes()})
            ),
            manifest_upload=upload("m.csv", make_manifest(rows)),
        )
    real = digitisation_zip.ZipBudget.check_time
    calls = {"between rows": 0}

    def check_time(self, name=""):
        if not name:  # between rows (members name themselves)
            calls["between rows"] += 1
            if calls["between rows"] == 2:
                self.deadline = 0
        return real(self, name)

    monkeypatch.setattr(digitisation_zip.ZipBudget, "check_time", check_time)
    batch = run(batch)
    assert batch.status == DigitisationBatch.Status.FAILED and "was stopped after" in batch.error
    assert batch.rows_taken == 1
    with district_context("vaishali"):
        assert Document.objects.count() == 1 and CaseDigitisation.objects.count() == 1
    # The zip, the manifest, one scan and its preview; no temporary file.
    assert len(stored_files(media)) == 4 and not [n for n in stored_files(media) if "/tmp/" in n]


def test_a_normal_batch_of_stored_and_deflated_scans_is_still_taken(ef, media, old_cases, unpacked):
    pdf, jpeg = samples.pdf_bytes(2), samples.image_bytes("JPEG")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.pdf", pdf, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("scans/b.jpg", jpeg, compress_type=zipfile.ZIP_STORED)
    rows = [ROW, ["PSMAH", "2009", "11", "scans/b.jpg", "Photo"]]
    with district_context("vaishali"):
        batch = digitisation_batch_upload(
            actor=ef.actor("si"),
            zip_upload=upload("scans.zip", buffer.getvalue()),
            manifest_upload=upload("m.csv", make_manifest(rows)),
        )
    batch = run(batch)
    assert batch.status == DigitisationBatch.Status.DONE, batch.error
    assert (batch.rows_taken, batch.report) == (2, [])
    # Each member read twice (checked, then taken), nothing more.
    assert unpacked["bytes"] == 2 * (len(pdf) + len(jpeg))
    with district_context("vaishali"):
        assert Document.objects.count() == 2
