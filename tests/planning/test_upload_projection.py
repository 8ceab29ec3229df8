from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from trappa.planning.models import PopulationSeries, ProjectionDataset
from trappa.test import BaseTestCase

DATA = Path(__file__).resolve().parent / "data"


class UploadProjectionTest(BaseTestCase):
    def upload(self, name, content):
        self.login(self.planner)
        return self.client.post("/planning/projections/upload/",
                                {"name": "SSB 14288", "file": SimpleUploadedFile(name, content)}, follow=True)

    def test_it_imports_a_csv_with_texts(self):
        response = self.upload("14288.csv", (DATA / "14288_tiny_texts.csv").read_bytes())
        self.assertContains(response, "2 municipalities")
        self.assertEqual(set(PopulationSeries.objects.values_list("region", flat=True)), {"1824", "3451"})

    def test_it_imports_the_same_file_once(self):
        self.upload("a.json", (DATA / "14288_tiny.json").read_bytes())
        self.upload("b.json", (DATA / "14288_tiny.json").read_bytes())
        self.assertEqual(ProjectionDataset.objects.count(), 1)

    def test_it_rejects_a_bad_file_and_writes_nothing(self):
        response = self.upload("bad.csv", b'"Region";"Kjonn";"Alder";"2030"\n"1824";"1";"070";..\n')
        self.assertContains(response, "The file could not be read")
        self.assertContains(response, "line 2")
        self.assertFalse(ProjectionDataset.objects.exists())

    def test_it_refuses_a_nurse(self):
        self.login(self.alice)
        response = self.client.post("/planning/projections/upload/", {"name": "x"})
        self.assertEqual(response.status_code, 403)

    def test_it_asks_for_a_file(self):
        self.login(self.planner)
        response = self.client.post("/planning/projections/upload/", {"name": "SSB"}, follow=True)
        self.assertContains(response, "class=\"message error\"")
        self.assertFalse(ProjectionDataset.objects.exists())
