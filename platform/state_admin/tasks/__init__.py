"""Background work of the state console; huey's autodiscovery imports this package."""

from state_admin.tasks import audit_anchor, exports, imports, provisioning, rollouts, rollup  # noqa: F401
