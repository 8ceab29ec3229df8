from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivityConfig(AppConfig):
    name = "trappa.activity"
    label = "activity"

    def ready(self):
        from trappa.activity.roles import WELFARE_IMPORT_ROLES
        from trappa.activity.tasks import WELFARE_TECHNOLOGY_IMPORT
        from trappa.jobs import kinds
        from trappa.people.import_views import report_context

        # Registered here because jobs knows nothing of the apps above it.
        kinds.register(
            WELFARE_TECHNOLOGY_IMPORT,
            _("Welfare technology import"),
            WELFARE_IMPORT_ROLES,
            result_template="people/import_report.html",
            result_context=report_context,
            start_url="activity:import_welfare_technology",
            start_label=_("Import welfare technology file"),
        )
