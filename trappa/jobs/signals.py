"""Signals of the jobs app: how the apps above learn what happened to their jobs."""

from django.dispatch import Signal

# A running job lost its worker and was marked failed (sender=Job, job=the job). The app whose
# work the job did marks its own records of that work (an import batch) failed too.
job_abandoned = Signal()
