"""Pages of the RTI register, one module per sub-feature (``applications``, ``replies``,
``report``); wired by ``core.rti.urls``."""
