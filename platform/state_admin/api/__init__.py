"""The state console's REST API, ``/api/v1/`` on the root domain (issue 20): platform staff only
(session or a staff token; ``config.api``), over the console's own selectors and services."""
