import datetime

from django.urls import reverse

from tests.referrals.base import ReferralTestCase
from trappa.audit.access import has_grant
from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.referrals import plans
from trappa.referrals.models import IndividualPlan, PlanAnswer


class IndividualPlanTest(ReferralTestCase):
    def test_it_records_the_right_and_the_answer(self):
        self.login(self.alice)
        response = self.client.post(reverse("referrals:plans", args=[self.olga.pk]), {"entitled_on": "2026-03-01"})
        plan = IndividualPlan.objects.get()
        self.assertRedirects(response, reverse("referrals:plan", args=[plan.pk]))
        self.client.post(
            reverse("referrals:plan", args=[plan.pk]),
            {"action": "answer", "answer": "declined", "answered_on": "2026-03-05"},
        )
        plan.refresh_from_db()
        self.assertEqual((plan.answer, plan.answered_on), (PlanAnswer.DECLINED, datetime.date(2026, 3, 5)))

    def test_it_rejects_a_bad_date_and_creates_nothing(self):
        self.login(self.alice)
        self.client.post(reverse("referrals:plans", args=[self.olga.pk]), {"entitled_on": "2026-13-45"})
        self.assertFalse(IndividualPlan.objects.exists())

    def test_the_coordinator_gets_access_and_the_old_one_loses_it(self):
        plan = plans.create(self.per, self.caseworker, datetime.date(2026, 3, 1))
        plans.assign_coordinator(plan, self.coordinator)
        self.assertTrue(has_grant(self.coordinator, self.per))
        relationship = CareRelationship.objects.get(kind=CareRelationshipKind.COORDINATOR)
        self.assertEqual(relationship.source, f"individual_plan:{plan.pk}")
        plans.assign_coordinator(plan, self.therapist)
        self.assertFalse(has_grant(self.coordinator, self.per))
        self.assertTrue(has_grant(self.therapist, self.per))

    def test_goals_measures_and_the_group_are_kept_with_who_is_responsible(self):
        plan = plans.create(self.olga, self.alice, datetime.date(2026, 3, 1))
        self.login(self.alice)
        url = reverse("referrals:plan", args=[plan.pk])
        self.client.post(url, {"action": "member", "name": "Fastlege Hansen", "role": "GP"})
        self.client.post(url, {"action": "goal", "text": "Bo hjemme"})
        goal = plan.goals.get()
        self.client.post(url, {"action": "measure", "goal": goal.pk, "text": "Trygghetsalarm", "responsible": "Siri"})
        response = self.client.get(url)
        self.assertContains(response, "Fastlege Hansen")
        self.assertContains(response, "Trygghetsalarm")
        self.assertEqual(goal.measures.get().responsible, "Siri")

    def test_a_measure_without_a_responsible_is_refused(self):
        plan = plans.create(self.olga, self.alice, datetime.date(2026, 3, 1))
        goal = plans.add_goal(plan, "Bo hjemme")
        self.login(self.alice)
        self.client.post(
            reverse("referrals:plan", args=[plan.pk]),
            {"action": "measure", "goal": goal.pk, "text": "Alarm", "responsible": " "},
        )
        self.assertFalse(goal.measures.exists())

    def test_workload_counts_open_plans_per_coordinator(self):
        for person in (self.olga, self.per):
            plans.assign_coordinator(plans.create(person, self.alice, datetime.date(2026, 3, 1)), self.coordinator)
        declined = plans.create(self.olga, self.alice, datetime.date(2026, 3, 2))
        plans.assign_coordinator(declined, self.coordinator)
        plans.answer(declined, PlanAnswer.DECLINED, datetime.date(2026, 3, 3))
        self.login(self.planner)
        response = self.client.get(reverse("referrals:workload"))
        self.assertContains(response, "<td>Cora</td><td>2</td><td>0</td>", html=True)
        self.assertNotContains(response, "Olga")
