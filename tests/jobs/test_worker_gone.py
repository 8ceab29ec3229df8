"""A job whose worker died (kill -9) is marked failed with a clear message, and its import batch too."""

import datetime
import time
from unittest import skipUnless

from django.db import connection
from django.test import TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from trappa.accounts.models import Municipality
from trappa.jobs.models import Job, JobStatus
from trappa.jobs.progress import running
from trappa.jobs.reaper import WORKER_GONE, abandon_stale_jobs
from trappa.people.models import ImportBatch, ImportKind, ImportStatus
from trappa.test import BaseTestCase


def a_job_left_running(municipality, silent_for):
    """What a worker killed mid-import leaves: the job and its batch "running", the last sign of life old."""
    last = timezone.now() - silent_for
    job = Job.objects.create(
        kind="import",
        label="personer.csv",
        municipality=municipality,
        status=JobStatus.RUNNING,
        message="Writing to the register",
        started_at=last,
        updated_at=last,
        heartbeat_at=last,
    )
    batch = ImportBatch.objects.create(
        municipality=municipality,
        kind=ImportKind.PERSONS,
        file_name="personer.csv",
        status=ImportStatus.RUNNING,
        job=job,
    )
    return job, batch


@override_settings(JOB_STALE_SECONDS=600)
class WorkerGoneTest(BaseTestCase):
    def test_a_job_silent_for_25_minutes_is_failed_with_its_batch(self):
        job, batch = a_job_left_running(self.vefsn, datetime.timedelta(minutes=25))
        self.assertEqual([j.pk for j in abandon_stale_jobs()], [job.pk])
        job.refresh_from_db()
        batch.refresh_from_db()
        self.assertEqual((job.status, job.message), (JobStatus.FAILED, WORKER_GONE))
        self.assertIsNotNone(job.finished_at)
        self.assertEqual(batch.status, ImportStatus.FAILED)

    def test_a_job_with_a_recent_sign_of_life_is_left_running(self):
        job, batch = a_job_left_running(self.vefsn, datetime.timedelta(minutes=2))
        self.assertEqual(abandon_stale_jobs(), [])
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.RUNNING)

    def test_the_job_page_shows_the_failure_and_not_running(self):
        job, _batch = a_job_left_running(self.vefsn, datetime.timedelta(minutes=25))
        self.login(self.caseworker)
        progress = self.client.get(reverse("jobs:progress", args=[job.pk])).json()
        self.assertEqual(progress["status"], JobStatus.FAILED)
        self.assertTrue(progress["finished"])


@skipUnless(connection.vendor == "postgresql", "the heartbeat writes through its own connection: PostgreSQL")
@override_settings(JOB_HEARTBEAT_SECONDS=1, JOB_STALE_SECONDS=3)
class HeartbeatTest(TransactionTestCase):
    def test_a_live_job_keeps_beating_through_its_long_transaction_and_is_not_reaped(self):
        vefsn = Municipality.objects.create(number="1824", name="Vefsn", slug="vefsn")
        job = Job.objects.create(kind="import", label="x.csv", municipality=vefsn)
        with running(job.pk):
            time.sleep(5)  # longer than JOB_STALE_SECONDS, with no progress reported
            self.assertEqual(abandon_stale_jobs(), [])
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.DONE)
