from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RespiteConfig(AppConfig):
    name = "trappa.respite"
    label = "respite"

    def ready(self):
        from trappa.jobs import kinds
        from trappa.respite.roles import RESPITE_ROLES

        # Registered here because jobs knows nothing of the apps above it.
        kinds.register("respite_plan", _("Respite plan"), RESPITE_ROLES)
