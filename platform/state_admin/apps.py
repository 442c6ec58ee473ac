from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StateAdminConfig(AppConfig):
    name = "state_admin"
    verbose_name = _("State console")
    default_auto_field = "django.db.models.BigAutoField"
