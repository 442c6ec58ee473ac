"""The e-File world of tests/core/efile (Vaishali's and Muzaffarpur's offices and people) and the
Tirhut range office with its DIG and police headquarters with its IG and ADG
(tests/supervision_world.py)."""

from tests.core.efile.conftest import ef  # noqa: F401
from tests.supervision_world import phq, tirhut  # noqa: F401
