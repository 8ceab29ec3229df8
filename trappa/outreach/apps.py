from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "trappa.outreach"
    label = "outreach"

    def ready(self):
        from trappa.accounts.models import Role
        from trappa.jobs import kinds

        # Job kinds are registered here because jobs knows nothing of the apps above it.
        kinds.register("worklist", _("Build the worklist"), (Role.NURSE, Role.UNIT_LEADER))
        kinds.register("letters", _("Invitation letters"), (Role.NURSE, Role.UNIT_LEADER))
