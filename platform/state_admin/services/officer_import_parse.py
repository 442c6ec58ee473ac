"""Moved to ``core.org.officer_import.parse``, shared by the state console and the district admins'
screens. This name stays the same module (not a copy), so settings patched here apply there."""

import sys

from core.org.officer_import import parse

sys.modules[__name__] = parse
