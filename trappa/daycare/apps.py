from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DayCareConfig(AppConfig):
    name = "trappa.daycare"
    label = "daycare"
    verbose_name = _("Day care")
