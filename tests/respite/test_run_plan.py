import datetime

from django.urls import reverse

from tests.respite.base import MONDAY, decision, follow_up, plan_with, vefsn_beds
from trappa.audit.models import AccessLogEntry
from trappa.jobs.models import Job, JobStatus
from trappa.respite import services
from trappa.respite.models import PlanVersion
from trappa.test import BaseTestCase


class RunPlanTests(BaseTestCase):
    def test_it_runs_the_planner_as_a_job_and_stores_a_plan_version(self):
        vefsn_beds(self.vefsn)
        decision(self.olga, first=services.next_monday(datetime.date.today()))
        self.login(self.caseworker)
        response = self.client.post(reverse("respite:run"), {"confirm": "yes"})
        job = Job.objects.get(kind="respite_plan")
        self.assertRedirects(response, reverse("jobs:job", args=[job.pk]), fetch_redirect_response=False)
        self.assertEqual(job.status, JobStatus.DONE)
        plan = PlanVersion.objects.get()
        self.assertEqual((job.result["plan"], plan.status), (plan.pk, "optimal"))
        self.assertTrue(plan.stays.filter(decision__person=self.olga, bed__isnull=False).exists())

    def test_it_builds_nothing_on_a_bare_post(self):
        self.login(self.caseworker)
        self.client.post(reverse("respite:run"))
        self.assertFalse(Job.objects.exists())

    def test_the_planner_keeps_people_in_their_beds_in_the_next_version(self):
        first, _ = plan_with(self.olga, self.vefsn)
        decision(self.per, first=MONDAY + datetime.timedelta(weeks=1))
        second = services.make_plan(self.vefsn, start=MONDAY)
        before = {(s.start, s.bed_id) for s in first.stays.filter(decision__person=self.olga)}
        after = {(s.start, s.bed_id) for s in second.stays.filter(decision__person=self.olga)}
        self.assertEqual((before, second.changes), (after, 0))

    def test_it_reports_overbooked_weeks_and_an_option(self):
        vefsn_beds(self.vefsn)
        for number in range(4):  # four somatic stays in the same weeks on three beds
            person = self.make_person(f"0101401{number:04d}"[:11], "P", f"Test{number}", datetime.date(1940, 1, 1), "F")
            decision(person, home=4, stay=1, weeks=4)
        plan = services.make_plan(self.vefsn, start=MONDAY)
        self.assertEqual(plan.overbooked, [{"group": "somatic", "week": 0, "demand": 4, "beds": 3}])
        left_out = plan.stays.get(bed__isnull=True)
        self.assertEqual((left_out.option_kind, left_out.option_start), ("shift", MONDAY + datetime.timedelta(weeks=1)))


class PlanPageTests(BaseTestCase):
    def test_it_shows_names_only_of_persons_the_user_follows_up(self):
        plan_with(self.olga, self.vefsn)
        decision(self.per, group="dementia")
        services.make_plan(self.vefsn, start=MONDAY)
        self.login(self.alice)
        response = self.client.get(reverse("respite:plan"))
        self.assertContains(response, "Olga Nordmann")
        self.assertNotContains(response, "Utenfor")
        self.assertContains(response, "Occupied")
        self.assertTrue(AccessLogEntry.objects.filter(person=self.olga, user=self.alice).exists())
        self.assertFalse(AccessLogEntry.objects.filter(person=self.per).exists())

    def test_the_bed_calendar_hides_a_person_the_user_does_not_follow(self):
        plan, _ = plan_with(self.per, self.vefsn)
        follow_up(self.caseworker, self.olga)
        self.login(self.caseworker)
        bed = plan.stays.filter(bed__isnull=False).first().bed
        response = self.client.get(reverse("respite:bed", args=[bed.pk]))
        self.assertContains(response, "Occupied")
        self.assertNotContains(response, "Utenfor")

    def test_a_planner_cannot_see_the_plan(self):
        self.login(self.planner)
        self.assertEqual(self.client.get(reverse("respite:plan")).status_code, 403)
