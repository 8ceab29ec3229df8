"""URL kwargs of the outreach routes for the route matrix (tests/audit/test_routes.py)."""

from trappa.jobs.models import Job


def make_letters_job(case, person):
    # As the batch letters view creates it: the job names the persons in it.
    job = Job.objects.create(
        kind="letters",
        label="Route matrix letters",
        municipality=person.municipality,
        started_by=case.alice,
        params={"person_ids": [person.pk]},
    )
    return job.pk


def _kwarg():
    from tests.audit.test_routes import Kwarg

    return Kwarg(make_letters_job)


ROUTE_KWARGS = {"letters_job_id": _kwarg()}
