from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Districts and accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # lazy: these read models and connect signals, so they load once the app registry is ready
        from tenants import checks, language, migration_executor, signals  # noqa: F401
