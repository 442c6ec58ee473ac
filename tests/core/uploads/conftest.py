"""The e-File world of tests/core/efile (``ef``), and a private media folder per test."""

import pytest

from tests.core.efile.conftest import ef  # noqa: F401


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
