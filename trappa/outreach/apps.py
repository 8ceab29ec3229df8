from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "trappa.outreach"
    label = "outreach"

    def ready(self):
        from trappa.jobs import kinds
        from trappa.outreach.roles import MEDICINE_IMPORT_ROLES, OUTREACH_ROLES
        from trappa.outreach.tasks import MEDICINE_LIST_IMPORT
        from trappa.people.import_views import report_context

        # Job kinds are registered here because jobs knows nothing of the apps above it.
        kinds.register("worklist", _("Build the worklist"), OUTREACH_ROLES)
        kinds.register("letters", _("Invitation letters"), OUTREACH_ROLES, "letters/job_result.html", _letters_result)
        kinds.register(
            MEDICINE_LIST_IMPORT,
            _("Medicine list import"),
            MEDICINE_IMPORT_ROLES,
            result_template="people/import_report.html",
            result_context=report_context,
            start_url="outreach:import_medicine_lists",
            start_label=_("Import medicine lists"),
        )


def _letters_result(job):
    """The finished batch's download, for the job page (the download checks the persons again)."""
    done = job.status == "done" and job.result.get("letters")
    return {"download_url": reverse("outreach:download_letters", args=[job.pk]) if done else None}
