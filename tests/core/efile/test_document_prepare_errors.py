"""An upload that fails for a reason other than a refusal (a disk error while copying or drawing a
preview) leaves nothing behind: no row, and neither the failing file's copy nor the copies and
previews already made for the uploads before it."""

import pytest

from core.efile.services import documents as document_services
from core.efile.services.documents import document_upload
from core.models import Document
from tenants.context import district_context
from tests.core.efile import samples
from tests.core.efile.filework import open_file
from tests.core.efile.samples import upload


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _files(media) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def _three():
    return [upload(f"{name}.png", samples.image_bytes()) for name in ("a", "b", "c")]


def test_a_disk_error_drawing_a_later_preview_removes_the_earlier_copies(ef, media, monkeypatch):
    real, calls = document_services.preview_make, []

    def failing_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(document_services, "preview_make", failing_third)
    with district_context("vaishali"):
        file = open_file(ef)
        with pytest.raises(OSError, match="No space left"):
            document_upload(actor=ef.actor("clerk"), file=file, uploads=_three())
        assert len(calls) == 3  # two uploads were copied and drawn before the failure
        assert not Document.objects.exists()
    assert _files(media) == []


class _CutOff:
    """An upload whose reading fails half-way (after one chunk was written)."""

    name = "cut.pdf"
    size = 10

    def seek(self, _offset):
        pass

    def chunks(self):
        yield b"%PDF-1.4\n"
        raise OSError(5, "Input/output error")


def test_a_copy_that_fails_half_way_leaves_no_half_copy(ef, media):
    with district_context("vaishali"):
        file = open_file(ef)
        uploads = [upload("a.png", samples.image_bytes()), _CutOff()]
        with pytest.raises(OSError, match="Input/output error"):
            document_upload(actor=ef.actor("clerk"), file=file, uploads=uploads)
        assert not Document.objects.exists()
    assert _files(media) == []
