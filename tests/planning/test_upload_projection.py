from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from trappa.accounts.models import Role
from trappa.jobs.models import Job, JobStatus
from trappa.planning.models import PopulationSeries, ProjectionDataset
from trappa.test import BaseTestCase

DATA = Path(__file__).resolve().parent / "data"
BAD = b'"Region";"Kjonn";"Alder";"2030"\n"1824";"1";"070";..\n'


class UploadProjectionTest(BaseTestCase):
    url = "/planning/projections/upload/"

    def setUp(self):
        super().setUp()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        self.uploads = self.use_temporary_upload_dir()

    def upload(self, name, content, follow=True, user=None):
        self.login(user or self.planner)
        return self.client.post(
            self.url, {"name": "SSB 14288", "file": SimpleUploadedFile(name, content)}, follow=follow
        )

    def stored_uploads(self):
        folder = settings.UPLOAD_DIR
        return list(folder.iterdir()) if folder.exists() else []

    def test_it_imports_a_csv_with_texts(self):
        response = self.upload("14288.csv", (DATA / "14288_tiny_texts.csv").read_bytes())
        self.assertContains(response, "Imported SSB 14288: 2 municipalities.")
        self.assertEqual(set(PopulationSeries.objects.values_list("region", flat=True)), {"1824", "3451"})

    def test_it_enqueues_a_job_and_shows_its_result_on_the_job_page(self):
        response = self.upload("14288.json", (DATA / "14288_tiny.json").read_bytes(), follow=False)
        job = Job.objects.get()
        self.assertRedirects(response, f"/jobs/{job.pk}/", fetch_redirect_response=False)
        dataset = ProjectionDataset.objects.get()
        self.assertEqual(
            (job.kind, job.label, job.municipality, job.started_by),
            ("projection_import", "14288.json", self.vefsn, self.planner),
        )
        self.assertEqual(job.status, JobStatus.DONE)
        self.assertEqual((job.done, job.total, job.message), (2, 2, ""))
        self.assertEqual(job.result["dataset"], dataset.pk)
        self.assertTrue(job.result["created"])
        self.assertEqual(dataset.imported_by, self.planner)
        page = self.client.get(f"/jobs/{job.pk}/")
        self.assertContains(page, "Imported SSB 14288: 2 municipalities.")
        self.assertContains(page, "2025–2026")
        self.assertContains(page, "MMMM, LLML, HHMH")
        self.assertContains(page, 'href="/planning/"')

    def test_it_deletes_the_stored_upload_after_the_job(self):
        self.upload("14288.json", (DATA / "14288_tiny.json").read_bytes())
        self.upload("bad.csv", BAD)
        self.assertEqual(self.stored_uploads(), [])

    def test_a_queue_that_refuses_the_job_leaves_a_failed_job_and_no_stored_upload(self):
        refusing = mock.Mock(**{"enqueue.side_effect": RuntimeError("queue down")})
        with mock.patch("trappa.planning.views.import_projection_task", refusing):
            with self.assertLogs("trappa.jobs.queue", "ERROR"):
                response = self.upload("14288.json", (DATA / "14288_tiny.json").read_bytes())
        self.assertContains(response, "The import could not be started. Nothing was stored.")
        job = Job.objects.get()
        self.assertEqual(job.status, JobStatus.FAILED)
        self.assertIsNotNone(job.finished_at)
        self.assertEqual(self.stored_uploads(), [])
        self.assertFalse(ProjectionDataset.objects.exists())

    def test_it_imports_the_same_file_once(self):
        self.upload("a.json", (DATA / "14288_tiny.json").read_bytes())
        response = self.upload("b.json", (DATA / "14288_tiny.json").read_bytes())
        self.assertEqual(ProjectionDataset.objects.count(), 1)
        self.assertContains(response, "This file was imported before, as SSB 14288; nothing new was stored.")
        second = Job.objects.latest("id")
        self.assertEqual(second.status, JobStatus.DONE)
        self.assertFalse(second.result["created"])
        self.assertEqual(second.result["dataset"], ProjectionDataset.objects.get().pk)

    def test_it_rejects_a_bad_file_and_writes_nothing(self):
        response = self.upload("bad.csv", BAD)
        self.assertContains(response, "The file could not be read")
        self.assertContains(response, "line 2")
        self.assertFalse(ProjectionDataset.objects.exists())
        self.assertFalse(PopulationSeries.objects.exists())

    def test_a_bad_file_makes_a_failed_job_with_the_reason(self):
        self.upload("bad.csv", BAD)
        job = Job.objects.get()
        self.assertEqual(job.status, JobStatus.FAILED)
        self.assertEqual(job.message, "The file could not be read. Nothing was stored.")
        self.assertIn("line 2", job.result["error"])
        page = self.client.get(f"/jobs/{job.pk}/")
        self.assertContains(page, "Failed")
        self.assertContains(page, "The file could not be read: line 2")
        # Not the page's words for a crash: the reason is known, and no one needs to read the log.
        self.assertNotContains(page, "ask an administrator to look at the log")

    def test_a_file_whose_figures_end_midway_stores_no_municipality(self):
        lines = (DATA / "14288_tiny_codes.csv").read_text(encoding="utf-8").splitlines()
        lines[-1] = lines[-1].rsplit(";", 1)[0] + ';"x"'  # the very last figure is not a number
        response = self.upload("broken.csv", "\n".join(lines).encode("utf-8"))
        self.assertContains(response, f"line {len(lines)}")
        self.assertEqual(Job.objects.get().status, JobStatus.FAILED)
        self.assertFalse(ProjectionDataset.objects.exists())
        self.assertFalse(PopulationSeries.objects.exists())

    def test_it_refuses_a_nurse(self):
        self.login(self.alice)
        response = self.client.post(self.url, {"name": "x"})
        self.assertEqual(response.status_code, 403)

    def test_it_refuses_a_nurse_with_a_file_and_starts_no_job(self):
        response = self.upload("a.json", (DATA / "14288_tiny.json").read_bytes(), follow=False, user=self.alice)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Job.objects.exists())
        self.assertEqual(self.stored_uploads(), [])

    def test_the_job_is_seen_by_the_municipalitys_planners_and_unit_leaders_only(self):
        self.upload("a.json", (DATA / "14288_tiny.json").read_bytes())
        job = Job.objects.get()
        other_planner = self.make_user("pia", Role.PLANNER, None)
        na_planner = self.make_user("nils", Role.PLANNER, None, municipality=self.nord_aurdal)
        for user, status in (
            (other_planner, 200),
            (self.unit_leader, 200),
            (self.alice, 403),
            (self.caseworker, 403),
            (na_planner, 404),
        ):
            self.login(user)
            self.assertEqual(self.client.get(f"/jobs/{job.pk}/").status_code, status, user.username)
        self.login(self.unit_leader)
        self.assertContains(self.client.get("/jobs/"), "a.json")
        self.login(self.caseworker)
        self.assertNotContains(self.client.get("/jobs/"), "a.json")

    def test_it_asks_for_a_file(self):
        self.login(self.planner)
        response = self.client.post(self.url, {"name": "SSB"}, follow=True)
        self.assertContains(response, 'class="message error"')
        self.assertFalse(ProjectionDataset.objects.exists())
        self.assertFalse(Job.objects.exists())

    def test_it_refuses_an_excel_file_before_starting_a_job(self):
        response = self.upload("14288.xlsx", b"PK\x03\x04" + b"\x00" * 100)
        self.assertContains(response, "Choose the table as json-stat2 (.json) or CSV (.csv)")
        self.assertFalse(Job.objects.exists())
        self.assertEqual(self.stored_uploads(), [])

    def test_it_refuses_binary_content_under_a_csv_name(self):
        response = self.upload("14288.csv", b"PK\x03\x04" + b"\x00" * 100)
        self.assertContains(response, "Choose the table as json-stat2 (.json) or CSV (.csv)")
        self.assertFalse(Job.objects.exists())

    def test_it_refuses_a_file_over_the_size_limit(self):
        with mock.patch("trappa.planning.forms.MAX_UPLOAD_MB", 0):
            response = self.upload("14288.json", (DATA / "14288_tiny.json").read_bytes())
        self.assertContains(response, "The file is larger than 0 MB.")
        self.assertFalse(Job.objects.exists())
