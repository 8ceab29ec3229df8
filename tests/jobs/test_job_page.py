from django.conf import settings

from tests.people.import_helpers import FAST_HASHER
from trappa.accounts.models import Role
from trappa.jobs.models import Job
from trappa.test import BaseTestCase


@FAST_HASHER
class JobPageTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.na_caseworker = cls.make_user("nora", Role.CASEWORKER, cls.na_health, municipality=cls.nord_aurdal)
        cls.job = Job.objects.create(
            kind="import",
            label="folkeregister.csv",
            municipality=cls.vefsn,
            started_by=cls.caseworker,
            status="running",
            done=250,
            total=1000,
            message="Writing to the register",
            params={"import_kind": "persons", "dry_run": False},
        )
        cls.other = Job.objects.create(
            kind="import",
            label="nord-aurdal.csv",
            municipality=cls.nord_aurdal,
            status="done",
            params={"import_kind": "persons", "dry_run": False},
        )

    def setUp(self):
        super().setUp()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def test_it_shows_a_running_job_with_a_progress_bar_that_refreshes_itself(self):
        self.login(self.caseworker)
        page = self.client.get(f"/jobs/{self.job.pk}/")
        self.assertContains(page, '<progress id="job-progress" max="100" value="25"')
        self.assertContains(page, '<noscript><meta http-equiv="refresh" content="3"></noscript>', html=False)
        self.assertContains(page, "Writing to the register")
        self.assertContains(page, f'data-url="/jobs/{self.job.pk}/progress/"')

    def test_it_gives_the_progress_as_json(self):
        self.login(self.administrator)
        data = self.client.get(f"/jobs/{self.job.pk}/progress/").json()
        self.assertEqual((data["status"], data["done"], data["total"], data["percent"]), ("running", 250, 1000, 25))
        self.assertFalse(data["finished"])

    def test_another_municipalitys_job_is_not_found(self):
        self.login(self.caseworker)
        self.assertEqual(self.client.get(f"/jobs/{self.other.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/jobs/{self.other.pk}/progress/").status_code, 404)
        self.login(self.na_caseworker)
        self.assertEqual(self.client.get(f"/jobs/{self.job.pk}/").status_code, 404)

    def test_a_nurse_or_planner_may_not_see_an_import_job(self):
        for user in (self.alice, self.planner):
            self.login(user)
            self.assertEqual(self.client.get(f"/jobs/{self.job.pk}/").status_code, 403)
            self.assertEqual(self.client.get(f"/jobs/{self.job.pk}/progress/").status_code, 403)

    def test_the_list_shows_only_the_municipalitys_jobs(self):
        self.login(self.caseworker)
        page = self.client.get("/jobs/")
        self.assertContains(page, "folkeregister.csv")
        self.assertNotContains(page, "nord-aurdal.csv")
        self.assertContains(page, 'href="/people/import/"')

    def test_the_list_shows_a_nurse_no_import_jobs(self):
        self.login(self.alice)
        page = self.client.get("/jobs/")
        self.assertNotContains(page, "folkeregister.csv")
        self.assertNotContains(page, 'href="/people/import/"')

    def test_a_kind_without_a_result_template_shows_the_generic_page(self):
        job = Job.objects.create(
            kind="worklist", label="Worklist", municipality=self.vefsn, started_by=self.alice, status="failed"
        )
        self.login(self.alice)
        page = self.client.get(f"/jobs/{job.pk}/")
        self.assertContains(page, "<h1>Job</h1>", html=True)
        self.assertContains(page, "The job did not finish. Nothing was written.")
        self.assertNotContains(page, "Register import")
        self.assertNotContains(page, 'href="/people/import/"')

    def test_a_register_import_is_headed_with_what_the_file_holds(self):
        self.login(self.caseworker)
        page = self.client.get(f"/jobs/{self.job.pk}/")
        self.assertContains(page, "<h1>Register import: Register extract (persons)</h1>", html=True)
