"""Medicine lists uploaded on a staff page: a job with progress, all or nothing, row errors shown."""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.people.import_helpers import FAST_HASHER
from trappa.jobs.models import Job
from trappa.outreach.models import MedicineList
from trappa.test import OLGA_ID, BaseTestCase

URL = "/outreach/medicine-lists/import/"
HEADER = "national_id;reported_on;medicines;diagnoses;source\n"


@FAST_HASHER
class MedicineListsUploadTest(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        self.uploads = self.use_temporary_upload_dir()

    def post(self, lines):
        content = HEADER + "".join(line + "\n" for line in lines)
        data = {"file": SimpleUploadedFile("legemiddellister.csv", content.encode("utf-8"), "text/csv")}
        return self.client.post(URL, data)

    def test_the_service_office_may_upload_a_planner_may_not(self):
        self.login(self.caseworker)
        self.assertContains(self.client.get(URL), 'type="file"')
        self.login(self.planner)
        self.assertEqual(self.client.get(URL).status_code, 403)
        self.assertEqual(self.post([f"{OLGA_ID};2026-01-15;6;;fastlege"]).status_code, 403)
        self.assertFalse(Job.objects.exists())

    def test_it_runs_the_import_as_a_job_and_shows_its_counts(self):
        self.login(self.caseworker)
        response = self.post([f"{OLGA_ID};2026-01-15;6;3;fastlege"])
        job = Job.objects.get()
        self.assertRedirects(response, f"/jobs/{job.pk}/", fetch_redirect_response=False)
        self.assertEqual((job.kind, job.status, job.result["created"]), ("medicine_list_import", "done", 1))
        listed = MedicineList.objects.get()
        self.assertEqual((listed.person, listed.medicines, listed.diagnoses), (self.olga, 6, 3))
        page = self.client.get(f"/jobs/{job.pk}/")
        self.assertContains(page, "What the import did")
        self.assertEqual(list(self.uploads.iterdir()), [])

    def test_a_file_with_a_bad_row_is_rejected_whole_with_every_problem_shown(self):
        self.login(self.administrator)
        self.post([f"{OLGA_ID};2026-01-15;6;;fastlege", f"{OLGA_ID};2026-01-16;many;;"])
        job = Job.objects.get()
        self.assertEqual((job.result["status"], job.result["bad_rows"]), ("rejected", 1))
        page = self.client.get(f"/jobs/{job.pk}/")
        self.assertContains(page, "The file was rejected")
        self.assertContains(page, "<td>3</td><td>medicines</td>", html=False)
        self.assertContains(page, "Not a whole number from 0 to 99.")
        self.assertFalse(MedicineList.objects.exists())

    def test_staff_find_it_on_the_jobs_list_and_the_register_import(self):
        self.login(self.caseworker)
        for url in ("/jobs/", "/people/import/"):
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), f'href="{URL}"')
