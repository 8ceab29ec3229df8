"""A batch of letters for the filtered worklist, made as a background job, and the worklist build job."""

import io

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from trappa.audit.models import AccessAction, AccessLogEntry, CareRelationship
from trappa.jobs.models import Job, JobStatus
from trappa.letters.models import SentLetter
from trappa.outreach.models import WorklistEntry
from trappa.outreach.tasks import render_letters_task
from trappa.outreach.worklist import build

from .base import OutreachTestCase


class BatchLettersTestCase(OutreachTestCase):
    def setUp(self):
        build(self.vefsn)
        self.login(self.alice)

    def start(self, **filters):
        response = self.client.post(reverse("outreach:start_letters"), filters)
        return response, Job.objects.filter(kind="letters").order_by("-pk").first()

    def test_it_makes_one_pdf_with_a_letter_for_each_person_on_the_filtered_list(self):
        response, job = self.start(area="Drevja")
        self.assertRedirects(response, reverse("jobs:job", args=[job.pk]))
        self.assertEqual((job.status, job.result), (JobStatus.DONE, {"letters": 2}))
        download = self.client.get(reverse("outreach:download_letters", args=[job.pk]))
        pdf = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
        # A letter takes more than one page in large print: each starts on a new page, with the sender.
        starts = [page.extract_text() for page in pdf.pages if page.extract_text().startswith("Vefsn")]
        self.assertEqual(len(starts), 2)
        self.assertIn("Hei, Anna!", " ".join(starts))
        self.assertIn("Hei, Cecilie!", " ".join(starts))

    def test_each_person_is_logged_as_exported_when_started_and_when_downloaded(self):
        _response, job = self.start(reason="klassefest")
        self.client.get(reverse("outreach:download_letters", args=[job.pk]))
        logged = AccessLogEntry.objects.filter(person=self.turning_75, action=AccessAction.EXPORT)
        self.assertEqual(logged.count(), 2)

    def test_the_job_holds_no_names(self):
        _response, job = self.start()
        self.assertNotIn("Anna", str(job.params) + str(job.result) + job.label)

    def test_a_colleague_who_lost_access_to_one_person_cannot_download(self):
        _response, job = self.start(reason="klassefest")
        CareRelationship.objects.filter(person=self.turning_75).update(ended_at=timezone.now())
        self.assertEqual(self.client.get(reverse("outreach:download_letters", args=[job.pk])).status_code, 403)

    def test_another_municipality_gets_a_404(self):
        _response, job = self.start()
        self.login(self.charlie)
        self.assertEqual(self.client.get(reverse("outreach:download_letters", args=[job.pk])).status_code, 404)

    @override_settings(LETTERS_BATCH_MAX=1)
    def test_too_many_letters_are_refused(self):
        response, job = self.start()
        self.assertRedirects(response, reverse("outreach:worklist"))
        self.assertIsNone(job)

    def test_each_letter_is_recorded_on_its_person_once_however_often_the_batch_is_made(self):
        _response, job = self.start(area="Drevja")
        render_letters_task.call(job.pk)
        sent = SentLetter.objects.filter(reference=f"letters-job-{job.pk}")
        self.assertEqual(sorted(s.person.given_name for s in sent), ["Anna", "Cecilie"])
        self.assertEqual({(s.sent_by, s.unit) for s in sent}, {(self.alice, self.health)})

    def test_a_unit_without_a_phone_makes_no_letters_and_says_why(self):
        self.health.phone = ""
        self.health.save(update_fields=["phone"])
        _response, job = self.start(area="Drevja")
        self.assertIn("no phone number", job.message)
        self.assertFalse(SentLetter.objects.exists())

    def test_an_empty_list_makes_no_job(self):
        _response, job = self.start(reason="interpreter")
        self.assertIsNone(job)

    def test_an_unknown_filter_makes_no_job_rather_than_letters_for_everyone(self):
        _response, job = self.start(area="Nowhere")
        self.assertIsNone(job)


class BuildJobTestCase(OutreachTestCase):
    def test_the_button_builds_the_worklist_as_a_job(self):
        self.login(self.alice)
        response = self.client.post(reverse("outreach:build"), {"confirm": "yes"})
        job = Job.objects.get(kind="worklist")
        self.assertRedirects(response, reverse("jobs:job", args=[job.pk]))
        self.assertEqual(job.status, JobStatus.DONE)
        self.assertEqual(job.result["on_list"], WorklistEntry.objects.count())

    def test_a_bare_post_builds_nothing(self):
        self.login(self.alice)
        self.client.post(reverse("outreach:build"))
        self.assertFalse(Job.objects.exists())

    def test_a_municipality_without_rules_gets_a_failed_message_not_a_crash(self):
        self.login(self.charlie)
        self.client.post(reverse("outreach:build"), {"confirm": "yes"})
        job = Job.objects.get(kind="worklist")
        self.assertEqual(job.status, JobStatus.DONE)
        self.assertIn("rule file", job.message)

    def test_planners_cannot_build(self):
        self.login(self.planner)
        self.assertEqual(self.client.post(reverse("outreach:build"), {"confirm": "yes"}).status_code, 403)
