"""The welfare-technology file uploaded on a staff page: a job with progress, all or nothing, row errors shown."""

import datetime

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.people.import_helpers import FAST_HASHER, csv_text
from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.jobs.models import Job
from trappa.people.models import ImportBatch, WelfareTechnology
from trappa.test import OLGA_ID, BaseTestCase

URL = "/activity/welfare-technology/import/"


def row(**fields):
    return {"national_id": OLGA_ID, "technology": "safety_alarm", "since": "2026-03-01", "until": "", **fields}


@FAST_HASHER
class WelfareTechnologyUploadTest(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        self.uploads = self.use_temporary_upload_dir()

    def post(self, content, dry_run=False):
        data = {"file": SimpleUploadedFile("velferdsteknologi.csv", content.encode("utf-8"), "text/csv")}
        if dry_run:
            data["dry_run"] = "on"
        return self.client.post(URL, data)

    def test_the_service_office_and_the_administrator_may_upload_the_nurse_may_not(self):
        for user in (self.caseworker, self.administrator):
            self.login(user)
            page = self.client.get(URL)
            self.assertContains(page, 'type="file"')
            self.assertContains(page, '<label for="id_file"')
        self.login(self.alice)
        self.assertEqual(self.client.get(URL).status_code, 403)
        self.assertEqual(self.post(csv_text([row()])).status_code, 403)
        self.assertFalse(Job.objects.exists())

    def test_it_runs_the_import_as_a_job_and_shows_its_counts(self):
        self.login(self.caseworker)
        response = self.post(csv_text([row(), row(technology="gps", until="2026-05-01")]))
        job = Job.objects.get()
        self.assertRedirects(response, f"/jobs/{job.pk}/", fetch_redirect_response=False)
        self.assertEqual((job.kind, job.status, job.result["created"]), ("welfare_technology_import", "done", 2))
        self.assertEqual(ImportBatch.objects.get().kind, "welfare_technology")
        gps = WelfareTechnology.objects.get(kind="gps")
        self.assertEqual((gps.person, gps.until), (self.olga, datetime.date(2026, 5, 1)))
        page = self.client.get(f"/jobs/{job.pk}/")
        self.assertContains(page, "What the import did")
        self.assertContains(page, '<progress id="job-progress" max="100" value="100"')
        self.assertEqual(list(self.uploads.iterdir()), [])

    def test_a_file_with_a_bad_row_is_rejected_whole_with_every_problem_shown(self):
        self.login(self.caseworker)
        self.post(csv_text([row(), row(technology="robot"), row(since="2026-04-01", until="2026-03-01")]))
        job = Job.objects.get()
        self.assertEqual((job.result["status"], job.result["bad_rows"]), ("rejected", 2))
        page = self.client.get(f"/jobs/{job.pk}/")
        self.assertContains(page, "The file was rejected")
        self.assertContains(page, "<td>3</td><td>technology</td>", html=False)
        self.assertContains(page, "<td>4</td><td>until</td>", html=False)
        self.assertFalse(WelfareTechnology.objects.exists())

    def test_a_dry_run_writes_nothing(self):
        self.login(self.administrator)
        self.post(csv_text([row()]), dry_run=True)
        self.assertEqual(Job.objects.get().result["status"], "dry_run")
        self.assertFalse(WelfareTechnology.objects.exists())

    def test_staff_find_it_on_the_jobs_list_the_register_import_and_the_person_s_technology(self):
        CareRelationship.objects.create(
            person=self.olga, user=self.caseworker, kind=CareRelationshipKind.WORKLIST, source="test"
        )
        self.login(self.caseworker)
        for url in ("/jobs/", "/people/import/", f"/activity/person/{self.olga.pk}/welfare-technology/"):
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), f'href="{URL}"')
        self.login(self.alice)  # a nurse records technology by hand, but does not import files
        self.assertNotContains(self.client.get("/jobs/"), f'href="{URL}"')
        self.assertNotContains(self.client.get(f"/activity/person/{self.olga.pk}/welfare-technology/"), f'href="{URL}"')
