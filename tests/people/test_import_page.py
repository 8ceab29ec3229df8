from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.people.import_helpers import ASTRID_ID, FAST_HASHER, csv_text, olga_row, person_row
from trappa.jobs.models import Job
from trappa.people.models import ImportBatch, Person
from trappa.people.signals import follow_up_ended
from trappa.test import BaseTestCase


@FAST_HASHER
class ImportPageTest(BaseTestCase):
    url = "/people/import/"

    def setUp(self):
        super().setUp()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        self.uploads = self.use_temporary_upload_dir()

    def post(self, content, kind="persons", dry_run=False, name="folkeregister.csv"):
        data = {"kind": kind, "file": SimpleUploadedFile(name, content.encode("utf-8"), "text/csv")}
        if dry_run:
            data["dry_run"] = "on"
        return self.client.post(self.url, data)

    def test_it_shows_the_form_to_a_caseworker(self):
        self.login(self.caseworker)
        response = self.client.get(self.url)
        self.assertContains(response, 'type="file"')
        self.assertContains(response, '<label for="id_file"')

    def test_it_shows_the_form_to_an_administrator(self):
        self.login(self.administrator)
        self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_it_refuses_a_nurse_and_a_planner(self):
        for user in (self.alice, self.planner):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)
            self.assertEqual(self.post(csv_text([person_row()])).status_code, 403)
        self.assertFalse(Job.objects.exists())

    def test_it_sends_an_anonymous_visitor_to_the_login_page(self):
        response = self.client.get(self.url)
        self.assertRedirects(response, "/accounts/login/?next=/people/import/", fetch_redirect_response=False)

    def test_it_runs_the_import_and_shows_the_job_with_its_counts(self):
        self.login(self.caseworker)
        response = self.post(csv_text([person_row(), olga_row()]))
        job = Job.objects.get()
        self.assertRedirects(response, f"/jobs/{job.pk}/", fetch_redirect_response=False)
        self.assertEqual((job.status, job.municipality, job.started_by), ("done", self.vefsn, self.caseworker))
        self.assertEqual((job.label, job.result["created"], job.result["unchanged"]), ("folkeregister.csv", 1, 1))
        self.assertTrue(job.task_result_id)
        self.assertTrue(Person.objects.filter(national_id=ASTRID_ID).exists())
        self.assertEqual(ImportBatch.objects.get().started_by, self.caseworker)
        page = self.client.get(f"/jobs/{job.pk}/")
        self.assertContains(page, "What the import did")
        self.assertContains(page, '<progress id="job-progress" max="100" value="100"')
        self.assertNotContains(page, "http-equiv")

    def test_it_deletes_the_uploaded_file_after_the_import(self):
        self.login(self.caseworker)
        self.post(csv_text([person_row()]))
        self.assertEqual(list(self.uploads.iterdir()), [])

    def test_it_shows_every_bad_row_and_writes_nothing(self):
        self.login(self.administrator)
        self.post(csv_text([person_row(sex="X"), olga_row(area="Drevja", birth_date="1941-08-14")]))
        job = Job.objects.get()
        self.assertEqual((job.status, job.result["status"], job.result["bad_rows"]), ("done", "rejected", 2))
        page = self.client.get(f"/jobs/{job.pk}/")
        self.assertContains(page, "The file was rejected")
        self.assertContains(page, "<td>2</td><td>sex</td>", html=False)
        self.assertContains(page, "<td>3</td><td>birth_date</td>", html=False)
        self.assertNotContains(page, "1941-08-14")
        self.assertFalse(Person.objects.filter(national_id=ASTRID_ID).exists())
        self.olga.refresh_from_db()
        self.assertEqual(self.olga.area, "Elsfjord")

    def test_a_dry_run_from_the_page_writes_nothing(self):
        self.login(self.caseworker)
        self.post(csv_text([person_row()]), dry_run=True)
        job = Job.objects.get()
        self.assertEqual((job.result["status"], job.result["created"]), ("dry_run", 1))
        self.assertContains(self.client.get(f"/jobs/{job.pk}/"), "nothing was written")
        self.assertFalse(Person.objects.filter(national_id=ASTRID_ID).exists())

    def test_it_imports_decisions_too(self):
        self.login(self.caseworker)
        content = csv_text(
            [
                {
                    "national_id": self.olga.national_id,
                    "decision_id": "V1",
                    "service": "day_care",
                    "start_date": "2025-01-01",
                }
            ]
        )
        self.post(content, kind="decisions")
        self.assertEqual(self.olga.decisions.get().service, "day_care")

    def test_it_asks_again_for_a_missing_or_empty_file(self):
        self.login(self.caseworker)
        response = self.client.post(self.url, {"kind": "persons"})
        self.assertContains(response, "errorlist")
        response = self.post("")
        self.assertContains(response, "errorlist")
        self.assertFalse(Job.objects.exists())

    def test_it_rejects_an_unknown_kind(self):
        self.login(self.caseworker)
        response = self.post(csv_text([person_row()]), kind="pets")
        self.assertContains(response, "errorlist")
        self.assertFalse(Job.objects.exists())

    def test_it_marks_the_job_failed_and_writes_nothing_when_the_import_crashes(self):
        def explode(**kwargs):
            raise RuntimeError("receiver broke")

        follow_up_ended.connect(explode)
        self.addCleanup(follow_up_ended.disconnect, explode)
        self.login(self.caseworker)
        with self.assertLogs("trappa.jobs.progress", "ERROR"):
            self.post(csv_text([person_row(), olga_row(date_of_death="2026-10-01")]))
        job = Job.objects.get()
        self.assertEqual(job.status, "failed")
        self.assertFalse(Person.objects.filter(national_id=ASTRID_ID).exists())
        self.assertEqual(ImportBatch.objects.get().status, "failed")
        page = self.client.get(f"/jobs/{job.pk}/")
        self.assertContains(page, "Nothing was written")
        self.assertNotContains(page, "receiver broke")
