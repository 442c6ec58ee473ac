from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("District office")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # lazy: the app registry must be ready before the areas' modules (they import models).
        # What each area registers with the foundation (core.base) and the organisation: the
        # e-File's record and adoption counters, the cases' sight rule.
        from core.cases import access as cases_access
        from core.efile import apps_register
        from core.ocr import tasks as ocr_tasks
        from core.rti.services import reminders as rti_reminders
        from core.search import hook as search_hook

        apps_register.register()
        cases_access.register()
        rti_reminders.register()
        ocr_tasks.register()
        search_hook.register()
