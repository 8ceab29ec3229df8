"""Starting a job: its task is enqueued and recorded, or the job ends failed at once and its upload is gone."""

from unittest import mock

from trappa.jobs.models import Job, JobStatus
from trappa.jobs.queue import NOT_STARTED, JobNotStarted, enqueue
from trappa.test import BaseTestCase


class EnqueueTest(BaseTestCase):
    def setUp(self):
        self.uploads = self.use_temporary_upload_dir()
        self.uploads.mkdir(parents=True)
        self.job = Job.objects.create(
            kind="import", label="register.csv", municipality=self.vefsn, started_by=self.caseworker
        )

    def test_it_records_the_task_on_the_job(self):
        task = mock.Mock(**{"enqueue.return_value.id": "abc-123"})
        enqueue(self.job, task, "x")
        task.enqueue.assert_called_once_with(self.job.pk, "x")
        self.job.refresh_from_db()
        self.assertEqual((self.job.task_result_id, self.job.status), ("abc-123", JobStatus.QUEUED))

    def test_a_refused_task_fails_the_job_and_removes_its_upload(self):
        upload = self.uploads / "waiting.csv"
        upload.write_text("national_id\n")
        task = mock.Mock(**{"enqueue.side_effect": RuntimeError("queue down")})
        with self.assertLogs("trappa.jobs.queue", "ERROR"), self.assertRaises(JobNotStarted):
            enqueue(self.job, task, str(upload), upload=upload)
        self.job.refresh_from_db()
        self.assertEqual((self.job.status, self.job.message), (JobStatus.FAILED, NOT_STARTED))
        self.assertIsNotNone(self.job.finished_at)
        self.assertFalse(upload.exists())
