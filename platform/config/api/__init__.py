"""The REST API's wiring (issue 20): authentication, permissions, errors, throttles and the schema
views shared by the district API (``core.api``) and the state API (``state_admin.api``)."""
