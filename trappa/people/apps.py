from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "trappa.people"
    label = "people"

    def ready(self):
        from trappa.jobs import kinds
        from trappa.jobs.signals import job_abandoned
        from trappa.people.import_views import report_context
        from trappa.people.receivers import end_follow_up, fail_abandoned_import
        from trappa.people.roles import IMPORT_ROLES
        from trappa.people.signals import follow_up_ended
        from trappa.people.tasks import REGISTER_IMPORT

        # Registered here because jobs knows nothing of the apps above it.
        kinds.register(
            REGISTER_IMPORT,
            _("Register import"),
            IMPORT_ROLES,
            result_template="people/import_report.html",
            result_context=report_context,
            start_url="people:import",
            start_label=_("Import register file"),
        )
        follow_up_ended.connect(end_follow_up, dispatch_uid="people.end_follow_up")
        job_abandoned.connect(fail_abandoned_import, dispatch_uid="people.fail_abandoned_import")
