"""The upload page offers what the command line offers (#13): an older file imported only on purpose
(refused first, listing each value it would change back), a death undone only with a reason, and the
extraction date of a file whose name carries none."""

import datetime

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.people.import_helpers import ASTRID_ID, FAST_HASHER, csv_text, person_row
from trappa.jobs.models import Job
from trappa.people.models import ImportBatch, Person
from trappa.test import BaseTestCase


@FAST_HASHER
class ImportPageOlderFilesTest(BaseTestCase):
    url = "/people/import/"

    def setUp(self):
        super().setUp()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        self.use_temporary_upload_dir()
        self.login(self.caseworker)

    def upload(self, name, rows, **options):
        data = {"kind": "persons", "file": SimpleUploadedFile(name, csv_text(rows).encode(), "text/csv")}
        data.update({key: "on" if value is True else value for key, value in options.items()})
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 302)
        job = Job.objects.latest("pk")
        return job, ImportBatch.objects.get(job=job), self.client.get(f"/jobs/{job.pk}/")

    def died(self):
        job, batch, _page = self.upload("personer_2026-11-02.csv", [person_row(date_of_death="2026-11-01")])
        self.assertEqual(batch.status, "done")

    def test_the_page_offers_the_command_line_s_options(self):
        page = self.client.get(self.url)
        for name in ("extracted_on", "allow_older", "correct_deaths"):
            self.assertContains(page, f'name="{name}"')

    def test_an_older_file_is_refused_listing_what_would_go_back_and_how_to_import_it_anyway(self):
        self.upload("personer_2026-11-02.csv", [person_row(street_address="Nygata 2")])
        _job, batch, page = self.upload("personer_2026-10-01.csv", [person_row(street_address="Storgata 1")])
        self.assertEqual(batch.status, "rejected")
        self.assertContains(page, "The file was extracted before the last file of this register")
        self.assertContains(page, "<td>street_address</td><td>Would change back to an older value.</td>", html=False)
        self.assertContains(page, "upload the file again")
        self.assertEqual(Person.objects.get(national_id=ASTRID_ID).street_address, "Nygata 2")

    def test_an_older_file_allowed_on_purpose_goes_in(self):
        self.upload("personer_2026-11-02.csv", [person_row(street_address="Nygata 2")])
        job, batch, _page = self.upload(
            "personer_2026-10-01.csv", [person_row(street_address="Storgata 1")], allow_older=True
        )
        self.assertEqual((batch.status, job.params["allow_older"]), ("done", True))
        self.assertEqual(Person.objects.get(national_id=ASTRID_ID).street_address, "Storgata 1")

    def test_an_older_file_allowed_still_cannot_undo_a_death_without_a_reason(self):
        self.died()
        _job, batch, page = self.upload("personer_2026-10-01.csv", [person_row()], allow_older=True)
        self.assertEqual(batch.status, "rejected")
        self.assertContains(page, "A death is undone only by a correction with its reason")
        self.assertEqual(Person.objects.get(national_id=ASTRID_ID).date_of_death, datetime.date(2026, 11, 1))

    def test_a_death_is_undone_with_the_reason_given_on_the_page(self):
        self.died()
        reason = "Folkeregisteret  corrected a wrongly registered death"
        _job, batch, _page = self.upload(
            "personer_2026-10-01.csv", [person_row()], allow_older=True, correct_deaths=reason
        )
        self.assertEqual(batch.status, "done")
        self.assertEqual(batch.correction_reason, "Folkeregisteret corrected a wrongly registered death")
        self.assertIsNone(Person.objects.get(national_id=ASTRID_ID).date_of_death)

    def test_the_extraction_date_given_on_the_page_dates_an_undated_file(self):
        self.upload("personer_2026-11-02.csv", [person_row(street_address="Nygata 2")])
        _job, batch, _page = self.upload(
            "personer.csv", [person_row(street_address="Storgata 1")], extracted_on="2026-10-01"
        )
        self.assertEqual((batch.extracted_on, batch.status), (datetime.date(2026, 10, 1), "rejected"))
