"""A second import of one register waits for the first, and says which one it waits for (#13), on PostgreSQL.

The first import is held while it writes (inside its transaction, under the register's advisory
lock); a second import of the same kind and municipality then waits, and its job page (and the
command line) name the running one: its job (with a link), its file, who started it and when.
"""

import datetime
import io
import shutil
import tempfile
import threading
import time
from pathlib import Path
from unittest import skipUnless

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.test import TransactionTestCase
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.people.import_helpers import FAST_HASHER, csv_text, person_row
from trappa.accounts.models import Municipality, Role, Unit, User
from trappa.jobs.models import Job
from trappa.jobs.progress import JobProgress
from trappa.lib.national_id import make_synthetic
from trappa.people.importing import WRITING, import_file
from trappa.people.importing.engine import WAITING_FOR_COMMAND, WAITING_FOR_JOB, NoProgress
from trappa.people.models import ImportBatch, ImportKind, ImportStatus

TIMEOUT = 60


class HeldWhileWriting:
    """The first import's progress (passed on to `inner`): it stops once it writes, holding the
    register's lock, until released."""

    def __init__(self, inner=None):
        self.inner = inner or NoProgress()
        self.writing, self.release = threading.Event(), threading.Event()

    def update(self, done, total, stage="", params=None):
        self.inner.update(done, total, stage, params)
        if stage == WRITING and not self.writing.is_set():
            self.writing.set()
            self.release.wait(TIMEOUT)


@FAST_HASHER
@skipUnless(connection.vendor == "postgresql", "PostgreSQL only: the advisory lock")
class ImportWaitsNamingTheRunningOneTest(TransactionTestCase):
    def setUp(self):
        self.vefsn = Municipality.objects.create(number="1824", name="Vefsn", slug="vefsn")
        unit = Unit.objects.create(municipality=self.vefsn, code="tjenestekontoret", name="Tjenestekontoret")
        self.siri = User.objects.create_user(
            "siri", password="x" * 20, first_name="Siri", last_name="Saksbehandler", role=Role.CASEWORKER, unit=unit
        )
        self.siri.municipality = self.vefsn
        self.siri.save(update_fields=["municipality"])
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        born = datetime.date(1940, 1, 1)
        self.path = folder / "personer_2026-11-30.csv"
        self.path.write_text(
            csv_text([person_row(national_id=make_synthetic(born, "F", 0), birth_date=str(born))]), encoding="utf-8"
        )

    def job(self, label):
        return Job.objects.create(
            kind="import", label=label, municipality=self.vefsn, started_by=self.siri, status="running"
        )

    def start_first(self, job=True):
        """The first import (with a job, or as from the command line), held while it writes;
        (its job, its progress, its thread, errors)."""
        first = self.job("personer_2026-11-30.csv") if job else None
        progress, errors = HeldWhileWriting(JobProgress(first) if job else None), []

        def run():
            try:
                import_file(
                    ImportKind.PERSONS, str(self.path), self.vefsn, progress=progress, job=first, user=self.siri
                )
            except Exception as error:  # noqa: BLE001 - asserted below
                errors.append(error)
            finally:
                progress.release.set()
                connections.close_all()

        thread = threading.Thread(target=run)
        thread.start()
        if not progress.writing.wait(TIMEOUT):
            thread.join(TIMEOUT)
            batches = list(ImportBatch.objects.values_list("status", "errors"))
            self.fail(f"the first import never started writing: {errors} {batches}")
        return first, progress, thread, errors

    def in_thread(self, target):
        errors = []

        def run():
            try:
                target()
            except Exception as error:  # noqa: BLE001 - asserted below
                errors.append(error)
            finally:
                connections.close_all()

        thread = threading.Thread(target=run)
        thread.start()
        return thread, errors

    def wait_for(self, condition):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.1)
        self.fail("the second import never said what it waits for")

    def login(self):
        self.client.force_login(self.siri)
        device = TOTPDevice.objects.create(user=self.siri, name="test", confirmed=True)
        session = self.client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def test_the_second_import_s_job_names_the_running_job_who_started_it_and_when(self):
        first, progress, first_thread, first_errors = self.start_first()
        second = self.job("personer_2026-11-30 (2).csv")
        second_thread, second_errors = self.in_thread(
            lambda: import_file(
                ImportKind.PERSONS, str(self.path), self.vefsn, progress=JobProgress(second), job=second
            )
        )
        self.wait_for(lambda: Job.objects.get(pk=second.pk).message == WAITING_FOR_JOB)
        waiting = Job.objects.get(pk=second.pk)
        self.assertEqual(waiting.message_params["job"], first.pk)
        self.assertEqual(waiting.message_params["by"], "Siri Saksbehandler")
        self.assertEqual(waiting.message_params["file"], "personer_2026-11-30.csv")
        self.login()
        page = self.client.get(reverse("jobs:job", args=[second.pk]))
        self.assertContains(page, f"Waiting for import job {first.pk} (personer_2026-11-30.csv), started by Siri")
        self.assertContains(page, f'href="{reverse("jobs:job", args=[first.pk])}"')
        polled = self.client.get(reverse("jobs:progress", args=[second.pk])).json()
        self.assertIn(f"Waiting for import job {first.pk}", polled["message"])
        self.assertEqual(polled["waiting_for_url"], reverse("jobs:job", args=[first.pk]))
        progress.release.set()
        first_thread.join(TIMEOUT)
        second_thread.join(TIMEOUT)
        self.assertEqual(first_errors + second_errors, [])
        statuses = [b.status for b in ImportBatch.objects.order_by("pk")]
        self.assertEqual(statuses, [ImportStatus.DONE, ImportStatus.DONE])

    def test_the_command_line_says_which_import_it_waits_for(self):
        _first, progress, first_thread, first_errors = self.start_first()
        err = io.StringIO()
        second_thread, second_errors = self.in_thread(
            lambda: call_command(
                "import_persons", str(self.path), "--municipality", "1824", stdout=io.StringIO(), stderr=err
            )
        )
        self.wait_for(lambda: "Waiting for import job" in err.getvalue())
        self.assertIn("started by Siri Saksbehandler at", err.getvalue())
        progress.release.set()
        first_thread.join(TIMEOUT)
        second_thread.join(TIMEOUT)
        self.assertEqual(first_errors + second_errors, [])

    def test_a_command_line_import_is_named_by_its_file_and_import_number(self):
        _first, progress, first_thread, first_errors = self.start_first(job=False)
        second = self.job("again.csv")
        second_thread, second_errors = self.in_thread(
            lambda: import_file(
                ImportKind.PERSONS, str(self.path), self.vefsn, progress=JobProgress(second), job=second
            )
        )
        self.wait_for(lambda: Job.objects.get(pk=second.pk).message == WAITING_FOR_COMMAND)
        params = Job.objects.get(pk=second.pk).message_params
        running = ImportBatch.objects.filter(job=None).get()
        self.assertEqual(
            (params["batch"], params["file"], params["by"]),
            (running.pk, "personer_2026-11-30.csv", "Siri Saksbehandler"),
        )
        progress.release.set()
        first_thread.join(TIMEOUT)
        second_thread.join(TIMEOUT)
        self.assertEqual(first_errors + second_errors, [])
