"""Jobs pages: start a register import, follow a job's progress, list the jobs.

They show no personal data (counts, and problems as line, column and reason),
so they are staff pages; the access helper keeps each municipality to its own jobs.
"""

import os

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from trappa.accounts.routes import staff_required
from trappa.jobs import kinds
from trappa.jobs.access import get_job_for_user, visible_jobs
from trappa.jobs.forms import ImportForm
from trappa.jobs.models import Job
from trappa.jobs.queue import enqueue
from trappa.jobs.tasks import import_register_file
from trappa.jobs.uploads import save_upload
from trappa.people.importing.report import MAX_REPORTED
from trappa.people.models import ImportBatch, ImportKind

LIST_LENGTH = 50


@staff_required()
def job_list(request):
    jobs = visible_jobs(request.user)[:LIST_LENGTH]
    may_import = request.user.role in kinds.IMPORT_ROLES
    return render(request, "jobs/list.html", {"jobs": jobs, "may_import": may_import})


@staff_required(*kinds.IMPORT_ROLES)
def start_import(request):
    if request.user.municipality_id is None:
        raise PermissionDenied  # jobs belong to a municipality; this user has none
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = _enqueue_import(request, form.cleaned_data)
        return redirect("jobs:job", job_id=job.pk)
    return render(request, "jobs/import.html", {"form": form})


def _enqueue_import(request, data):
    path = save_upload(data["file"])
    job = Job.objects.create(
        kind=kinds.IMPORT,
        label=os.path.basename(data["file"].name)[:255],
        municipality_id=request.user.municipality_id,
        started_by=request.user,
        params={"import_kind": data["kind"], "dry_run": data["dry_run"]},
    )
    enqueue(job, import_register_file, str(path), upload=path)
    return job


@staff_required()
@never_cache
def job_detail(request, job_id):
    job = get_job_for_user(request, job_id)
    context = {
        "job": job,
        "batch": _import_batch(job),
        "max_reported": MAX_REPORTED,
        "result_template": kinds.result_template(job.kind),
    }
    if job.kind == kinds.IMPORT and job.params.get("import_kind") in ImportKind.values:
        context["import_kind"] = ImportKind(job.params["import_kind"]).label
    return render(request, "jobs/job.html", context)


def _import_batch(job):
    batch_id = job.result.get("import_batch")
    if batch_id is None:
        return None
    return ImportBatch.objects.filter(pk=batch_id, municipality_id=job.municipality_id).first()


@staff_required()
@never_cache
def job_progress(request, job_id):
    """The job's progress as JSON, for the job page's script."""
    job = get_job_for_user(request, job_id)
    return JsonResponse(
        {
            "status": job.status,
            "status_display": job.get_status_display(),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "message": _(job.message) if job.message else "",
            "finished": job.is_finished,
        }
    )
