"""Moved to ``core.org.officer_import.check``, shared by the state console and the district admins'
screens. This name stays the same module (not a copy)."""

import sys

from core.org.officer_import import check

sys.modules[__name__] = check
