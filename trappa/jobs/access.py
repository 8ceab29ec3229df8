"""The access helper for jobs: every jobs view gets its Job through here."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from trappa.jobs import kinds
from trappa.jobs.models import Job


def visible_jobs(user):
    """The jobs of the user's municipality, of the kinds the user's role may see."""
    q = Job.objects.in_municipality(user.municipality_id)
    return q.filter(kind__in=kinds.kinds_for_role(user.role)).select_related("started_by")


def get_job_for_user(request, job_id):
    """The job, if it belongs to the user's municipality (else 404) and their role may see its kind (else 403)."""
    user = request.user
    try:
        job = Job.objects.select_related("started_by").get(pk=job_id, municipality_id=user.municipality_id)
    except Job.DoesNotExist:
        # Another municipality's job is a 404, so a guessed id tells nothing.
        raise Http404 from None
    if user.municipality_id is None or user.role not in kinds.roles_for(job.kind):
        raise PermissionDenied
    return job
