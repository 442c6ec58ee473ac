"""Background work of the state console; huey's autodiscovery imports this package."""

from state_admin.tasks import exports, imports, provisioning, rollouts, rollup  # noqa: F401
