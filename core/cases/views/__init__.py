"""Pages of the case register, one module per sub-feature (``register``, ``pendency``,
``digitisation``); wired by ``core.cases.urls``."""
