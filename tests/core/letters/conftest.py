"""The e-File world of tests/core/efile (Vaishali's SP office with an SP and a dak clerk,
Muzaffarpur's SP office with a dak clerk, ``ef.other``), for letters between the two."""

from tests.core.efile.conftest import ef  # noqa: F401
