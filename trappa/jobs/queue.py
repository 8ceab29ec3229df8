"""Putting a job's task on the queue: the one place views start background work."""

import logging

from django.utils import timezone
from django.utils.translation import gettext_noop

from trappa.jobs.models import Job, JobStatus
from trappa.jobs.uploads import remove_upload

logger = logging.getLogger(__name__)
NOT_STARTED = gettext_noop("The job could not be started. Nothing was done.")


class JobNotStarted(Exception):
    """The queue refused the task: the job is marked failed and its upload removed."""


def enqueue(job, task, *args, upload=None, refused=NOT_STARTED):
    """Enqueue `task(job.pk, *args)` and record its id on the job.

    If the queue refuses it, no job may wait for a worker that will never come: the job ends failed
    with `refused` (a message id, translated where it is shown), the upload it was to read is removed,
    and JobNotStarted is raised."""
    try:
        result = task.enqueue(job.pk, *args)
    except Exception as exc:
        logger.exception("could not enqueue the %s job %s", job.kind, job.pk)
        if upload:
            remove_upload(upload)
        Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, finished_at=timezone.now(), message=refused)
        raise JobNotStarted(refused) from exc
    # update(), not save(): with the immediate backend the job has already run.
    Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))
    return result
