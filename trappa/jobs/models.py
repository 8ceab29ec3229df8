"""Background jobs (imports now; batch letters and scenario runs later) and their progress."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trappa.accounts.models import Municipality


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class JobQuerySet(models.QuerySet):
    def in_municipality(self, municipality):
        return self.filter(municipality=municipality)


class Job(models.Model):
    """One run of a background task, with its progress as the task reports it.

    `done` of `total` is what the progress bar shows; `message` names the stage
    (an English source string, translated when shown). `result` is the task's
    summary, never personal data: jobs pages are open to roles without access
    to persons.
    """

    kind = models.CharField(max_length=50)
    label = models.CharField(max_length=255)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="jobs")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="jobs"
    )
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    # Values for the message's %(name)s placeholders (no personal data), e.g. which job it waits for.
    message_params = models.JSONField(default=dict, blank=True)
    # What the task was asked to do (e.g. the import kind and dry run), for display.
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # The running job's sign of life, written by its worker every JOB_HEARTBEAT_SECONDS (and with
    # each progress report). A running job silent for JOB_STALE_SECONDS lost its worker: see jobs.reaper.
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "created_at"])]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self):
        return self.label

    @property
    def is_finished(self):
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def message_text(self):
        """The message, translated, with its values filled in."""
        if not self.message:
            return ""
        text = gettext(self.message)
        try:
            return text % self.message_params if self.message_params else text
        except (KeyError, TypeError, ValueError):
            return text

    @property
    def waiting_for_url(self):
        """The page of the job this one waits for, if its message names one."""
        job_id = (self.message_params or {}).get("job")
        return reverse("jobs:job", args=[job_id]) if isinstance(job_id, int) else ""

    @property
    def percent(self):
        if self.status == JobStatus.DONE:
            return 100
        return min(100, int(100 * self.done / self.total)) if self.total else 0
