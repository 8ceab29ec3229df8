"""The welfare-technology import as a background job, started from its upload page."""

from django_tasks import task

from trappa.activity.welfare_import import import_welfare_technology
from trappa.people.tasks import run_file_import

# The job kind, registered in ActivityConfig.ready().
WELFARE_TECHNOLOGY_IMPORT = "welfare_technology_import"


@task()
def import_welfare_technology_file(job_id, path):
    """Import an uploaded welfare-technology file, all or nothing, then delete it: it holds national IDs."""
    return run_file_import(job_id, path, import_welfare_technology)
