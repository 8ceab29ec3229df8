"""Progress of a running job, written so the job page can show it.

Tasks and commands report progress the same way: `progress.update(done,
total, stage)`. JobProgress writes it to the Job row, at most once per
`interval` seconds so a loop over 700,000 rows does not become 700,000 UPDATEs.

An import writes its rows inside one long transaction. Progress written through
that transaction would stay invisible to the job page until the end, so on
PostgreSQL, inside a transaction, progress goes through a second connection of
its own. That is only possible when the job row itself is committed, i.e. when
the progress was created outside any transaction (as in the worker); created
inside one (a test case), it always writes through the main connection.
(SQLite allows one writer at a time, so there progress waits for the commit;
the demo runs jobs in the request anyway.)
"""

import logging
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone
from django.utils.translation import gettext_noop

from trappa.jobs.models import Job, JobStatus

logger = logging.getLogger(__name__)

FAILED = gettext_noop("The job stopped because of an unexpected error. The administrators have been told.")


class JobFailed(Exception):  # noqa: N818 (it is an outcome, as the job's status says)
    """An expected failure, such as a file that cannot be read: raised in the body of `running`.

    The job ends failed with `message` (an English source string, translated
    when shown) and `result` (the reason, without personal data); nothing is
    logged as an error, and the task itself ends normally.
    """

    def __init__(self, message, result=None):
        super().__init__(message)
        self.message = message
        self.result = result or {}


class JobProgress:
    def __init__(self, job, interval=1.0):
        self.job = job
        self.interval = interval
        self.last_write = None
        self.last_stage = None
        self._side = None
        self._may_write_beside = connection.vendor == "postgresql" and not connection.in_atomic_block

    def update(self, done, total, stage="", params=None):
        """`params`: values for the stage's %(name)s placeholders (see Job.message_params)."""
        now = time.monotonic()
        params = params or {}
        due = self.last_write is None or now - self.last_write >= self.interval
        changed = (stage, params) != (self.last_stage, self.job.message_params)
        if not (due or changed or (total and done >= total)):
            return
        self.last_write, self.last_stage = now, stage
        self.job.done, self.job.total, self.job.message, self.job.message_params = done, total, stage, params
        now = timezone.now()
        self._write(done=done, total=total, message=stage, message_params=params, updated_at=now, heartbeat_at=now)

    def _write(self, **fields):
        if self._may_write_beside and connection.in_atomic_block:
            self._write_beside(fields)
        else:
            Job.objects.filter(pk=self.job.pk).update(**fields)

    def _write_beside(self, fields):
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        quote = self._side.ops.quote_name
        columns = ", ".join(f"{quote(name)} = %s" for name in fields)
        sql = f"UPDATE {quote(Job._meta.db_table)} SET {columns} WHERE {quote('id')} = %s"  # noqa: S608 (names only)
        with self._side.cursor() as cursor:
            values = [Job._meta.get_field(name).get_db_prep_save(v, self._side) for name, v in fields.items()]
            cursor.execute(sql, [*values, self.job.pk])

    def close(self):
        if self._side is not None:
            self._side.close()
            self._side = None


@contextmanager
def running(job_id):
    """Mark the job running, hand out its progress, and mark it done or failed.

    The body sets `job.result` (a summary without personal data) and may set
    `job.message`. An unexpected error is logged, the job is marked failed with
    a general message (tracebacks are for the log, not the page), and re-raised
    so the task queue records it too. JobFailed marks the job failed with its
    own message and result, and is not re-raised.
    """
    job = Job.objects.get(pk=job_id)
    job.status, job.started_at = JobStatus.RUNNING, timezone.now()
    job.updated_at = job.heartbeat_at = job.started_at
    job.save(update_fields=["status", "started_at", "updated_at", "heartbeat_at"])
    progress = JobProgress(job)
    heartbeat = Heartbeat(job) if progress._may_write_beside else None
    try:
        yield job, progress
    except JobFailed as failed:
        job.result = failed.result
        _finish(job, JobStatus.FAILED, failed.message)
        return
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _finish(job, JobStatus.FAILED, FAILED)
        raise
    finally:
        if heartbeat is not None:
            heartbeat.stop()
        progress.close()
    _finish(job, JobStatus.DONE, job.message)


class Heartbeat:
    """Writes the job's sign of life every JOB_HEARTBEAT_SECONDS from a thread of the worker.

    The thread has its own database connection, so the sign of life is seen while the
    job's own transaction is still open; it dies with the worker, which is the point:
    a job whose heartbeat stops lost its worker (see jobs.reaper)."""

    def __init__(self, job):
        self.job_pk = job.pk
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-job-{job.pk}", daemon=True)
        self._thread.start()

    def _beat(self):
        try:
            while not self._stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                Job.objects.filter(pk=self.job_pk, status=JobStatus.RUNNING).update(heartbeat_at=timezone.now())
        finally:
            connections.close_all()

    def stop(self):
        self._stop.set()
        self._thread.join()


def _finish(job, status, message):
    job.status, job.message, job.message_params = status, message, {}
    job.finished_at = job.updated_at = timezone.now()
    fields = ["status", "message", "message_params", "result", "done", "total", "finished_at", "updated_at"]
    job.save(update_fields=fields)
