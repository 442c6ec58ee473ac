from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistrictAdminConfig(AppConfig):
    name = "district_admin"
    verbose_name = _("District administration")
    default_auto_field = "django.db.models.BigAutoField"
