"""The background job worker: django-tasks' db_worker, plus the check for jobs whose worker is gone.

On start, and then every JOB_HEARTBEAT_SECONDS, running jobs silent for JOB_STALE_SECONDS are
marked failed (jobs.reaper). Takes db_worker's options.
"""

import threading

from django.conf import settings
from django.db import connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from trappa.jobs.reaper import abandon_stale_jobs


class Command(DbWorkerCommand):
    help = "Run background jobs; jobs whose worker died are marked failed on start and periodically."

    def handle(self, *args, **options):
        self.report(abandon_stale_jobs())
        stop = threading.Event()
        checker = threading.Thread(target=self._check_periodically, args=(stop,), daemon=True)
        checker.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()

    def _check_periodically(self, stop):
        try:
            while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                self.report(abandon_stale_jobs())
        finally:
            connections.close_all()

    def report(self, jobs):
        for job in jobs:
            self.stderr.write(f"job {job.pk} ({job.kind}) lost its worker and is marked failed")
