import os

import pytest

from core.ocr.engine import ocr_available, ocr_available_reset, ocr_missing
from tests.core.efile.conftest import ef  # noqa: F401


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def tesseract():
    """OCR tests need Tesseract with Hindi and English data, which ``make test`` installs where it
    can (``deploy/ocr-install.sh``: as root, with apt). As with the browser journeys' Chromium, a
    machine that cannot install it skips them with the command to run, and CI (``CI=true``), which
    installs it in ``.ci/run``, fails loudly rather than pass with the OCR untested."""
    ocr_available_reset()
    if not ocr_available():
        message = (
            "OCR tests need Tesseract with Hindi and English data; missing: "
            + " ".join(ocr_missing())
            + ". Run deploy/ocr-install.sh as root (or apt-get install those packages)."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
