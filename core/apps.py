from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("District office")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The e-File's record counters, adoption counters and tasks (see core.efile.apps_register).
        from core.efile.apps_register import register

        register()
