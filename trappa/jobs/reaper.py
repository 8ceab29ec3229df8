"""Jobs whose worker is gone: found by their silent heartbeat, and marked failed.

A worker killed mid-job (kill -9, the machine stopped) cannot mark its job failed, and
its transaction was rolled back by the database. Without this the job would show
"Running" forever. The worker runs this when it starts and then periodically
(`manage.py job_worker`), and the job pages run it before showing a running job.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_noop

from trappa.jobs.models import Job, JobStatus
from trappa.jobs.signals import job_abandoned

WORKER_GONE = gettext_noop(
    "The job stopped: its worker stopped responding (it was stopped or the server restarted). "
    "Nothing it was writing was kept. Start the job again."
)


def stale_jobs(now=None):
    """Running jobs with no sign of life for JOB_STALE_SECONDS."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS)
    last_sign = Coalesce("heartbeat_at", "updated_at")
    return Job.objects.filter(status=JobStatus.RUNNING).alias(last_sign=last_sign).filter(Q(last_sign__lt=limit))


def abandon_stale_jobs(now=None):
    """Mark every running job whose worker is gone failed, and tell its app; returns those jobs."""
    abandoned = []
    for job in stale_jobs(now):
        with transaction.atomic():
            # Only if still running and still silent, under the row's lock: a live worker's job is left alone.
            job = stale_jobs(now).select_for_update(skip_locked=True).filter(pk=job.pk).first()
            if job is None:
                continue
            job.status, job.message, job.message_params = JobStatus.FAILED, WORKER_GONE, {}
            job.finished_at = job.updated_at = timezone.now()
            job.result = {**job.result, "worker_gone": True}
            job.save(update_fields=["status", "message", "message_params", "finished_at", "updated_at", "result"])
            job_abandoned.send(sender=Job, job=job)
        abandoned.append(job)
    return abandoned
