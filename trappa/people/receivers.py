"""End a person's care relationships when follow-up ends (death or moving out); fail the import of a dead job."""

from django.utils import timezone

from trappa.audit.relationships import end_care_relationships
from trappa.people.models import ImportBatch, ImportStatus
from trappa.people.signals import DIED, MOVED

END_REASONS = (DIED, MOVED)


def end_follow_up(sender, person, reason, date, **kwargs):
    """Receiver of trappa.people.signals.follow_up_ended."""
    if reason not in END_REASONS:
        raise ValueError(f"Unknown reason for ending follow-up: {reason!r}")
    end_care_relationships(person, reason, date)


def fail_abandoned_import(sender, job, **kwargs):
    """Receiver of trappa.jobs.signals.job_abandoned: the import its worker was running failed too."""
    running = ImportBatch.objects.filter(job=job, status__in=[ImportStatus.RUNNING, ImportStatus.PENDING])
    running.update(status=ImportStatus.FAILED, finished_at=timezone.now())
