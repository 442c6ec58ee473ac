import pytest

from core.ocr.engine import ocr_available, ocr_available_reset, ocr_missing
from tests.core.efile.conftest import ef  # noqa: F401


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def tesseract():
    """OCR tests need Tesseract with Hindi and English data. They fail (never skip) without it:
    CI installs it (``deploy/ocr-install.sh`` from ``.ci/run``), and a machine that cannot must
    say so loudly rather than pass with the OCR untested."""
    ocr_available_reset()
    if not ocr_available():
        pytest.fail(
            "OCR tests need Tesseract with Hindi and English data; missing: "
            + " ".join(ocr_missing())
            + ". Run deploy/ocr-install.sh as root (or apt-get install those packages)."
        )
