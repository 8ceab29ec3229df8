"""The course leader's work: the participants and waitlist of their own groups open, and the
enrollment form says what a course requires before it is sent, keeping the input when refused."""

from django.urls import reverse

from trappa.referrals import services
from trappa.referrals.models import EnrollmentStatus

from .base import ReferralTestCase, make_group, make_referral


class CourseLeaderTest(ReferralTestCase):
    def setUp(self):
        self.group = make_group(self.strong, leader=self.course_leader, capacity=1)
        services.enroll(self.group, self.olga)

    def test_a_participant_shown_in_the_group_opens_for_the_course_leader(self):
        self.login(self.course_leader)
        group_page = self.client.get(reverse("referrals:group", args=[self.group.pk]))
        person_url = reverse("referrals:person", args=[self.olga.pk])
        self.assertContains(group_page, f'href="{person_url}"')
        self.assertEqual(self.client.get(person_url).status_code, 200)

    def test_the_course_leader_enrolls_from_the_person_page_but_is_not_offered_new_referrals(self):
        other = make_group(self.strong, leader=self.course_leader, name="Sterk og stødig, Kulstad")
        self.login(self.course_leader)
        page = self.client.get(reverse("referrals:person", args=[self.olga.pk]))
        self.assertContains(page, reverse("referrals:enroll_person", args=[self.olga.pk]))
        self.assertNotContains(page, reverse("referrals:new", args=[self.olga.pk]))
        self.client.post(reverse("referrals:enroll_person", args=[self.olga.pk]), {"group": other.pk})
        self.assertEqual(other.enrollments.get().status, EnrollmentStatus.ENROLLED)

    def test_the_course_leader_opens_the_waitlist_of_an_offering(self):
        make_referral(self, self.olga, offering=self.strong)
        self.login(self.course_leader)
        self.assertEqual(self.client.get(reverse("referrals:waitlist", args=[self.strong.pk])).status_code, 200)


class EnrollmentRequirementTest(ReferralTestCase):
    def setUp(self):
        self.group = make_group(self.strong, leader=self.course_leader, requires_pre_course_conversation=True)
        self.login(self.alice)
        self.url = reverse("referrals:person", args=[self.olga.pk])

    def test_the_form_names_the_requirement_before_it_is_sent(self):
        page = self.client.get(self.url)
        self.assertContains(page, "conversation first")

    def test_a_refusal_keeps_the_input_and_puts_the_reason_in_an_error_summary(self):
        enroll = reverse("referrals:enroll_person", args=[self.olga.pk])
        response = self.client.post(enroll, {"group": self.group.pk, "priority": "4"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "ds-error-summary", status_code=400)
        self.assertContains(response, 'href="#conversation_on"', status_code=400)
        self.assertContains(response, 'name="priority" value="4"', status_code=400)
        self.assertFalse(self.group.enrollments.exists())
