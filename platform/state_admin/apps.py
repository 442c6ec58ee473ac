from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def builtin_office_templates_ensure(sender, using: str = "default", **kwargs) -> None:
    """After a migrate of the public schema, the built-in office templates exist and are current
    (a fresh database, the test database and an upgraded one alike). District schemas skip it."""
    from django.db import connections
    from django_tenants.utils import get_public_schema_name

    # lazy: apps.py loads before the app registry is ready; this runs after a migrate
    from state_admin.models import OfficeTemplate
    from state_admin.services.office_templates import office_template_builtin_ensure

    connection = connections[using]
    if getattr(connection, "schema_name", get_public_schema_name()) != get_public_schema_name():
        return
    if OfficeTemplate._meta.db_table not in connection.introspection.table_names():
        return
    office_template_builtin_ensure()


class StateAdminConfig(AppConfig):
    name = "state_admin"
    verbose_name = _("State console")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # lazy: apps.py loads before the app registry is ready; ready() runs once it is
        from core.base.audit.witness import audit_witness_register
        from state_admin import signals  # noqa: F401 (sign-in audit receivers)
        from state_admin.services.audit_anchor import audit_witness

        # A district page's chain check compares with the anchor kept here (core cannot import us).
        audit_witness_register(audit_witness)

        post_migrate.connect(
            builtin_office_templates_ensure, sender=self, dispatch_uid="state_admin_office_templates"
        )
