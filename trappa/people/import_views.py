"""The register import page: upload a register file, which a background job imports.

The job page (trappa.jobs) shows its progress, and the report below once it
ends. They show no personal data (counts, and problems as line, column and
reason), so they are staff pages.
"""

import os

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from trappa.accounts.routes import staff_required
from trappa.jobs import kinds
from trappa.jobs.models import Job
from trappa.jobs.queue import enqueue
from trappa.jobs.uploads import save_upload
from trappa.people.forms import FileImportForm, ImportForm
from trappa.people.importing.engine import OLDER_FILE
from trappa.people.importing.report import MAX_REPORTED
from trappa.people.models import ImportBatch, ImportKind
from trappa.people.roles import IMPORT_ROLES
from trappa.people.tasks import REGISTER_IMPORT, import_register_file


@staff_required(*IMPORT_ROLES)
def start_import(request):
    if request.user.municipality_id is None:
        raise PermissionDenied  # jobs belong to a municipality; this user has none
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = _enqueue_import(request, form.cleaned_data)
        return redirect("jobs:job", job_id=job.pk)
    return render(request, "people/import.html", {"form": form})


def _enqueue_import(request, data):
    path = save_upload(data["file"])
    job = Job.objects.create(
        kind=REGISTER_IMPORT,
        label=os.path.basename(data["file"].name)[:255],
        municipality_id=request.user.municipality_id,
        started_by=request.user,
        params={
            "import_kind": data["kind"],
            "dry_run": data["dry_run"],
            "extracted_on": data["extracted_on"].isoformat() if data["extracted_on"] else None,
            "allow_older": data["allow_older"],
            "correct_deaths": data["correct_deaths"],
        },
    )
    enqueue(job, import_register_file, str(path), upload=path)
    return job


def start_file_import(request, kind, task, template, context=None):
    """An upload page of another import on the register's engine: the file is run by `task(job_id, path)`
    as a job of `kind`, whose page shows the progress and then the report (people/import_report.html)."""
    if request.user.municipality_id is None:
        raise PermissionDenied  # jobs belong to a municipality; this user has none
    form = FileImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        path = save_upload(form.cleaned_data["file"])
        job = Job.objects.create(
            kind=kind,
            label=os.path.basename(form.cleaned_data["file"].name)[:255],
            municipality_id=request.user.municipality_id,
            started_by=request.user,
            params={"dry_run": form.cleaned_data["dry_run"], "allow_older": form.cleaned_data["allow_older"]},
        )
        enqueue(job, task, str(path), upload=path)
        return redirect("jobs:job", job_id=job.pk)
    return render(request, template, {"form": form, **(context or {})})


def report_context(job):
    """What the job page shows of an import on the register's engine (people/import_report.html)."""
    batch = _import_batch(job)
    context = {"batch": batch, "result_shown": batch is not None, "max_reported": MAX_REPORTED}
    kind = kinds.KINDS.get(job.kind)
    # Where the file may be uploaded again (allowed older, or corrected).
    context["import_url"] = reverse(kind.start_url) if kind and kind.start_url else reverse("people:import")
    # A file refused as older than the last one: it may be uploaded again, allowed on purpose.
    context["older_file"] = bool(batch and any(p["reason"] == OLDER_FILE for p in batch.errors))
    if job.params.get("import_kind") in ImportKind.values:
        context["heading"] = f"{_('Register import')}: {ImportKind(job.params['import_kind']).label}"
    return context


def _import_batch(job):
    batch_id = job.result.get("import_batch")
    if batch_id is None:
        return None
    return ImportBatch.objects.filter(pk=batch_id, municipality_id=job.municipality_id).first()
