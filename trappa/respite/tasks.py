"""Background task: run the respite planner and store the plan as a new version."""

from django.utils.translation import gettext_noop
from django_tasks import task

from trappa.jobs.progress import running
from trappa.respite import planner, services

PLANNING = gettext_noop("Laying the stays on the beds")
BAD_INPUT = gettext_noop("The plan could not be made: the decisions or beds have a problem.")


@task()
def make_plan_task(job_id):
    with running(job_id) as (job, progress):
        progress.update(0, 1, PLANNING)
        try:
            plan = services.make_plan(job.municipality, user=job.started_by, job=job)
            result, message = (
                {"plan": plan.pk, "status": plan.status, "weeks_over": len(plan.overbooked), "changes": plan.changes},
                "",
            )
        except planner.PlanningError as exc:
            # A data problem, not a crash: the page says so; the detail names no person.
            result, message = {"error": str(exc)}, BAD_INPUT
        progress.update(1, 1, PLANNING)
        job.result, job.message = result, message
    return job.result
