from tests.core.efile.conftest import ef  # noqa: F401
