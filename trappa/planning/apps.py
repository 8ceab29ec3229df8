from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "trappa.planning"
    label = "planning"

    def ready(self):
        from trappa.jobs import kinds
        from trappa.planning.roles import PLANNING_ROLES
        from trappa.planning.tasks import PROJECTION_IMPORT

        # Registered here because jobs knows nothing of the apps above it.
        kinds.register(
            PROJECTION_IMPORT,
            _("Population projection import"),
            PLANNING_ROLES,
            result_template="planning/import_job.html",
        )
