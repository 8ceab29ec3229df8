"""Jobs pages: follow a job's progress, list the jobs.

They show no personal data (counts, and problems as line, column and reason),
so they are staff pages; the access helper keeps each municipality to its own jobs.
The pages that start a job belong to the apps whose work the job does (the
register import is in people), which register their kind in trappa.jobs.kinds.
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from trappa.accounts.routes import staff_required
from trappa.jobs import kinds
from trappa.jobs.access import get_job_for_user, visible_jobs
from trappa.jobs.reaper import abandon_stale_jobs

LIST_LENGTH = 50


@staff_required()
def job_list(request):
    abandon_stale_jobs()
    jobs = visible_jobs(request.user)[:LIST_LENGTH]
    return render(request, "jobs/list.html", {"jobs": jobs, "start_links": kinds.start_links(request.user.role)})


@staff_required()
@never_cache
def job_detail(request, job_id):
    abandon_stale_jobs()
    job = get_job_for_user(request, job_id)
    context = {"job": job, "result_template": kinds.result_template(job.kind)}
    context.update(kinds.result_context(job))
    return render(request, "jobs/job.html", context)


@staff_required()
@never_cache
def job_progress(request, job_id):
    """The job's progress as JSON, for the job page's script."""
    abandon_stale_jobs()
    job = get_job_for_user(request, job_id)
    return JsonResponse(
        {
            "status": job.status,
            "status_display": job.get_status_display(),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "message": job.message_text,
            "waiting_for_url": job.waiting_for_url,
            "finished": job.is_finished,
        }
    )
