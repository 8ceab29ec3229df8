"""Background task: import an uploaded SSB projection file (table 14288/14746).

A national file (357 municipalities, 106 ages, 2 sexes, 27 years, 3
alternatives) is tens of MB and takes longer to read than a web request
should, so the upload view stores the file and enqueues this task, and the
job page shows its progress. `manage.py import_projection` runs the same
import (services.import_projection_file) from the command line.
"""

from pathlib import Path

from django.utils.translation import gettext_noop
from django_tasks import task

from trappa.jobs.progress import JobFailed, running
from trappa.jobs.uploads import remove_upload

from . import services
from .ssb import SsbFormatError

PROJECTION_IMPORT = "projection_import"
UNREADABLE = gettext_noop("The file could not be read. Nothing was stored.")


@task()
def import_projection_task(job_id, path):
    """Read and store the file all or nothing, then delete the stored upload."""
    try:
        with running(job_id) as (job, progress):
            try:
                dataset, created = services.import_projection_path(
                    job.params["name"], Path(path), user=job.started_by, progress=progress, file_name=job.label
                )
            except SsbFormatError as exc:
                # The reader's reason names cells and lines of a public table, never a person.
                raise JobFailed(UNREADABLE, {"error": str(exc)}) from None
            job.result = summary(dataset, created)
            job.message = ""
    finally:
        remove_upload(path)
    return job.result


def summary(dataset, created):
    """What the job page shows: the dataset as stored (public figures' metadata, no personal data)."""
    return {
        "dataset": dataset.pk,
        "created": created,
        "name": dataset.name,
        "municipalities": dataset.series.count(),
        "first_year": dataset.first_year,
        "last_year": dataset.last_year,
        "alternatives": dataset.alternatives,
        # Old municipality numbers read under today's (reported when the file is read, not stored).
        "renumbered": getattr(dataset, "renumbered", {}),
    }
