"""Every read of the RTI register, always through ``core.rti.access``: ``applications`` (the
register list with its reply clocks, the offices to enter or filter by, linked records) and
``report`` (the monthly register report, as a page, CSV and PDF)."""
