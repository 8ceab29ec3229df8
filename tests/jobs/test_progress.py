from unittest import skipUnless

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test import TestCase, TransactionTestCase

from trappa.accounts.models import Municipality
from trappa.jobs.models import Job
from trappa.jobs.progress import JobProgress, running


class JobProgressTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality = Municipality.objects.create(number="1824", name="Vefsn", slug="vefsn")

    def setUp(self):
        self.job = Job.objects.create(kind="import", label="x.csv", municipality=self.municipality)

    def stored(self):
        self.job.refresh_from_db()
        return self.job.done, self.job.total, self.job.message

    def test_it_writes_the_first_update_and_then_at_most_once_per_interval(self):
        progress = JobProgress(self.job, interval=3600)
        progress.update(1, 10, "Checking the file")
        progress.update(5, 10, "Checking the file")
        self.assertEqual(self.stored(), (1, 10, "Checking the file"))

    def test_it_always_writes_a_new_stage_and_the_last_step(self):
        progress = JobProgress(self.job, interval=3600)
        progress.update(1, 10, "Checking the file")
        progress.update(0, 4, "Writing to the register")
        self.assertEqual(self.stored(), (0, 4, "Writing to the register"))
        progress.update(4, 4, "Writing to the register")
        self.assertEqual(self.stored(), (4, 4, "Writing to the register"))

    def test_it_writes_again_once_the_interval_has_passed(self):
        progress = JobProgress(self.job, interval=0)
        progress.update(1, 10, "a")
        progress.update(2, 10, "a")
        self.assertEqual(self.stored(), (2, 10, "a"))

    def test_running_marks_the_job_running_then_done(self):
        with running(self.job.pk) as (job, progress):
            self.assertEqual(Job.objects.get(pk=job.pk).status, "running")
            progress.update(3, 3, "a")
            job.result = {"rows": 3}
        self.job.refresh_from_db()
        self.assertEqual((self.job.status, self.job.result, self.job.percent), ("done", {"rows": 3}, 100))
        self.assertIsNotNone(self.job.finished_at)

    def test_running_marks_the_job_failed_and_reraises(self):
        with self.assertRaises(ValueError), self.assertLogs("trappa.jobs.progress", "ERROR"):
            with running(self.job.pk):
                raise ValueError("boom")
        self.job.refresh_from_db()
        self.assertEqual(self.job.status, "failed")
        self.assertNotIn("boom", self.job.message)


@skipUnless(connection.vendor == "postgresql", "PostgreSQL only: SQLite has one writer at a time")
class JobProgressInsideATransactionTest(TransactionTestCase):
    def test_progress_written_inside_a_transaction_is_seen_outside_it_at_once(self):
        municipality = Municipality.objects.create(number="1824", name="Vefsn", slug="vefsn")
        job = Job.objects.create(kind="import", label="x.csv", municipality=municipality)
        progress = JobProgress(job, interval=0)
        self.addCleanup(progress.close)
        with transaction.atomic():
            progress.update(5, 10, "Writing to the register")
            self.assertEqual(self.seen_from_another_connection(job), (5, 10))

    def seen_from_another_connection(self, job):
        other = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT done, total FROM jobs_job WHERE id = %s", [job.pk])
                return cursor.fetchone()
        finally:
            other.close()
