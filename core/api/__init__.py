"""The district's REST API, ``/api/v1/`` on a district's host (issue 20): one module per area,
each a thin layer over the same selectors and services as the pages (and the same forms to check
the input's shape), so no rule is written twice. Authentication, permissions, errors and throttles
are set in ``REST_FRAMEWORK`` (``config.api``)."""
