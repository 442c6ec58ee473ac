"""Reads of the paperless office for pages, registers and counts: always through ``core.base.access``."""
