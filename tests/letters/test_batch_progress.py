"""A batch of invitation letters: the progress moves with each letter laid out (not stuck at
99 % while the PDF is made), the batch is still one tagged PDF with each letter on its own
pages, and the finished job's page offers the download."""

import io
from unittest import mock

from django.urls import reverse
from pypdf import PdfReader

from tests.outreach.base import OutreachTestCase
from trappa.jobs.models import Job, JobStatus
from trappa.jobs.progress import JobProgress
from trappa.letters import documents
from trappa.outreach import letters
from trappa.outreach.tasks import LAYING_OUT
from trappa.outreach.worklist import build, ruleset_for


class BatchProgressTest(OutreachTestCase):
    def setUp(self):
        build(self.vefsn)
        self.login(self.alice)

    def start(self, **filters):
        self.client.post(reverse("outreach:start_letters"), filters)
        return Job.objects.filter(kind="letters").latest("pk")

    def test_print_letters_reports_each_letter_and_makes_one_tagged_pdf(self):
        persons = [self.turning_75, self.turning_80, self.widowed_90]
        batch = [letters.invitation(p, [], ruleset_for(self.vefsn), self.health, "t") for p in persons]
        reported = []
        pdf = documents.print_letters(batch, self.turning_75.birth_date, progress=lambda *n: reported.append(n))
        self.assertEqual(reported, [(1, 3), (2, 3), (3, 3)])
        reader = PdfReader(io.BytesIO(pdf))
        root = reader.trailer["/Root"]
        self.assertTrue(root["/MarkInfo"]["/Marked"])
        self.assertTrue(root["/StructTreeRoot"]["/K"])
        self.assertEqual(root["/Lang"], "nb")
        starts = [page.extract_text() for page in reader.pages if page.extract_text().startswith("Vefsn")]
        self.assertEqual(len(starts), 3)

    def test_the_job_progress_moves_with_each_letter_laid_out(self):
        written = []
        real_update = JobProgress.update

        def spy(progress, done, total, stage=""):
            written.append((done, total, stage))
            return real_update(progress, done, total, stage)

        with mock.patch.object(JobProgress, "update", spy):
            job = self.start(area="Drevja")  # Anna and Cecilie
        self.assertEqual(job.status, JobStatus.DONE)
        laying_out = [done for done, total, stage in written if stage == LAYING_OUT]
        self.assertEqual(laying_out, [3], "one step per letter laid out before the last one writes the file")
        self.assertEqual([done for done, _total, _stage in written], [1, 2, 3, 4, 5])
        self.assertEqual({total for _done, total, _stage in written}, {5})

    def test_the_finished_job_page_offers_the_download(self):
        job = self.start(area="Drevja")
        page = self.client.get(reverse("jobs:job", args=[job.pk]))
        download = reverse("outreach:download_letters", args=[job.pk])
        self.assertContains(page, f'href="{download}"')
        self.assertEqual(self.client.get(download).status_code, 200)
