"""The register import as a background job (django-tasks), started from the import page.

The task runs inside `running(job_id)`. The task queue is chosen by the
TRAPPA_TASKS setting: a database queue run by `manage.py job_worker`, or
immediate (in-process) for the demo and the tests.
"""

import datetime

from django_tasks import task

from trappa.jobs.progress import running
from trappa.jobs.uploads import remove_upload
from trappa.people.importing import import_file

# The job kind, registered in PeopleConfig.ready() for people.roles.IMPORT_ROLES.
REGISTER_IMPORT = "import"
IMPORT_SUMMARY = ("rows", "created", "updated", "unchanged", "ended_follow_up", "bad_rows")


@task()
def import_register_file(job_id, path):
    """Import an uploaded register file, then delete it: it holds personal data."""

    def register(path, municipality, job, **options):
        params = job.params
        return import_file(
            params["import_kind"],
            path,
            municipality,
            job=job,
            extracted_on=_date(params.get("extracted_on")),
            correction_reason=params.get("correct_deaths", ""),
            **options,
        )

    return run_file_import(job_id, path, register)


def run_file_import(job_id, path, import_function):
    """The body of an upload import's task (welfare technology, medicine lists): `import_function(path,
    municipality, **options)` runs the file on the register import's engine, all or nothing; the
    upload is deleted afterwards, whatever happened."""
    try:
        with running(job_id) as (job, progress):
            batch = import_function(
                path,
                job.municipality,
                dry_run=job.params.get("dry_run", False),
                user=job.started_by,
                progress=progress,
                file_name=job.label,
                job=job,
                allow_older=job.params.get("allow_older", False),
            )
            job.result = {"import_batch": batch.pk, "status": batch.status}
            job.result.update({name: getattr(batch, name) for name in IMPORT_SUMMARY})
            job.message = ""
    finally:
        remove_upload(path)
    return job.result


def _date(text):
    return datetime.date.fromisoformat(text) if text else None
