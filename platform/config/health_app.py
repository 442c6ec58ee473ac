"""The operations app: registers the heartbeat task, the metrics and log hooks of huey tasks
and audit anchors, and the API's token check for resumable uploads, in every process (web and
consumer) once Django is set up.

Listed in INSTALLED_APPS as ``config.health_app.OperationsConfig``. It has no models.
"""

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "config"
    label = "karyalay_operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        # lazy: apps.py loads before the app registry is ready; ready() runs once it is
        from config import health_tasks, metrics_huey  # noqa: F401 (registers tasks and signals)
        from config.api.auth import TokenAuthentication
        from config.logging_sentry import sentry_init
        from config.metrics import audit_anchor_counted
        from core.uploads.tus import token_authentication_set
        from state_admin.models import AuditAnchor

        post_save.connect(audit_anchor_counted, sender=AuditAnchor, dispatch_uid="karyalay-audit-metrics")
        sentry_init()
        # The resumable upload server (core.uploads.tus) takes the API's personal access tokens.
        token_authentication_set(TokenAuthentication)
