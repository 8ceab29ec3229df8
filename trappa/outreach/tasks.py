"""Background tasks of outreach: building the worklist and printing a batch of letters."""

from django.utils.translation import gettext_noop
from django_tasks import task

from trappa.jobs.progress import running
from trappa.outreach import worklist

BUILDING = gettext_noop("Evaluating the outreach rules")
RULES_PROBLEM = gettext_noop("The worklist could not be built: the municipality's rule file has a problem.")


@task()
def build_worklist_task(job_id):
    with running(job_id) as (job, progress):
        progress.update(0, 1, BUILDING)
        try:
            job.result, job.message = vars(worklist.build(job.municipality)), ""
        except worklist.WorklistError as exc:
            # A data problem, not a crash: the page says so and the administrators get the detail.
            job.result, job.message = {"error": str(exc)}, RULES_PROBLEM
        progress.update(1, 1, BUILDING)
    return job.result
