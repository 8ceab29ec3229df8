"""Two job workers on one PostgreSQL queue: every job runs exactly once, and both workers take part.

Real processes (`manage.py job_worker --batch`), each with its own connection, started together on
jobs that take a moment each, so that both are taking jobs at the same time."""

import os
import subprocess
import sys
import time
from pathlib import Path
from unittest import skipUnless

from django.db import connection
from django.db.models import F
from django.test import TransactionTestCase, override_settings
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from trappa.accounts.models import Municipality
from trappa.jobs.models import Job

ROOT = Path(__file__).resolve().parents[2]
JOBS = 40
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@task()
def count_a_run(job_id):
    """Counts its own runs on the job: a job run twice says so (done == 2)."""
    Job.objects.filter(pk=job_id).update(done=F("done") + 1)
    time.sleep(0.2)


@skipUnless(connection.vendor == "postgresql", "the database queue's row locks (SKIP LOCKED) need PostgreSQL")
@override_settings(TASKS=DATABASE_QUEUE)
class TwoWorkersTest(TransactionTestCase):
    def test_each_job_runs_exactly_once_with_two_workers(self):
        municipality = Municipality.objects.create(number="1824", name="Vefsn", slug="vefsn")
        jobs = [Job.objects.create(kind="test", label=f"job {n}", municipality=municipality) for n in range(JOBS)]
        for job in jobs:
            count_a_run.enqueue(job.pk)
        workers = [self.worker(name) for name in ("worker-a", "worker-b")]
        for worker in workers:
            _out, err = worker.communicate(timeout=300)
            self.assertEqual(worker.returncode, 0, err[-2000:])
        self.assertEqual(sorted(Job.objects.values_list("done", flat=True)), [1] * JOBS)
        results = list(DBTaskResult.objects.values_list("status", "worker_ids"))
        self.assertEqual(len(results), JOBS)
        self.assertEqual({status for status, _ids in results}, {"SUCCESSFUL"})
        self.assertTrue(all(len(ids) == 1 for _status, ids in results))
        taken = {ids[0] for _status, ids in results}
        self.assertEqual(taken, {"worker-a", "worker-b"}, "both workers should have taken jobs")

    def worker(self, name):
        db = connection.settings_dict
        url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        env = {**os.environ, "DATABASE_URL": url, "TRAPPA_TASKS": "database"}
        command = [sys.executable, "manage.py", "job_worker", "--batch", "--no-startup-delay", "--worker-id", name]
        return subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
