"""Two steps of the enrollment state machine (#13): an offered seat not answered in time expires and
goes to the next on the waitlist (the nightly `expire_offers`); a participant completes the course
(the group page). Both lock and re-read, and refuse a step no longer possible with a clear message."""

import datetime
import io
import itertools
from unittest import mock

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.referrals.base import ReferralTestCase, make_group
from trappa.audit.access import has_grant
from trappa.audit.models import AccessLogEntry, CareRelationship
from trappa.letters.models import LetterSettings
from trappa.people.models import Person, Sex
from trappa.referrals import letters, reports, services
from trappa.referrals.models import Enrollment, EnrollmentStatus
from trappa.workday import course_groups

TODAY = datetime.date(2026, 10, 1)
NUMBERS = itertools.count()


def on_day(day):
    return mock.patch("trappa.referrals.services.today", return_value=day)


class ExpireTestCase(ReferralTestCase):
    def make_people(self, n):
        return [
            Person.objects.create(
                municipality=self.vefsn,
                national_id=f"9{next(NUMBERS):010d}",
                given_name=f"P{i}",
                family_name="Test",
                birth_date=datetime.date(1945, 1, 1),
                sex=Sex.FEMALE,
                municipality_number="1824",
            )
            for i in range(n)
        ]

    def offered(self, **group_fields):
        """A group of one seat: its holder withdrew on TODAY, so the first of two waiting is offered it."""
        group = make_group(self.strong, leader=self.course_leader, capacity=1, **group_fields)
        seated, first, second = [services.enroll(group, p) for p in self.make_people(3)]
        with on_day(TODAY):
            offer = services.withdraw(seated)
        return group, offer, second


class OfferDeadlineTest(ExpireTestCase):
    def test_an_offer_is_open_for_the_municipality_s_days_to_answer(self):
        _group, offer, _next = self.offered()
        self.assertEqual(offer.offer_expires_on, TODAY + datetime.timedelta(days=14))
        LetterSettings.objects.create(municipality=self.vefsn, answer_days=5)
        _group, offer, _next = self.offered(name="Another run")
        self.assertEqual(offer.offer_expires_on, TODAY + datetime.timedelta(days=5))

    def test_a_group_sets_its_own_days_to_answer(self):
        _group, offer, _next = self.offered(offer_answer_days=3)
        self.assertEqual(offer.offer_expires_on, TODAY + datetime.timedelta(days=3))

    def test_the_offer_letter_says_the_offer_s_own_date(self):
        _group, offer, _next = self.offered(offer_answer_days=3)
        letter = letters.offer_letter(offer, self.health, today=TODAY + datetime.timedelta(days=2))
        self.assertEqual(letter.offer.answer_by, TODAY + datetime.timedelta(days=3))


class ExpireTest(ExpireTestCase):
    def test_an_unanswered_offer_expires_the_day_after_its_date_and_the_seat_goes_to_the_next(self):
        group, offer, following = self.offered(offer_answer_days=3)
        self.assertEqual(services.expire_overdue_offers(self.vefsn, on=TODAY + datetime.timedelta(days=3)), 0)
        with on_day(TODAY + datetime.timedelta(days=4)):
            self.assertEqual(services.expire_overdue_offers(self.vefsn), 1)
        offer.refresh_from_db()
        following.refresh_from_db()
        self.assertEqual(offer.status, EnrollmentStatus.EXPIRED)
        self.assertEqual(following.status, EnrollmentStatus.OFFERED)
        self.assertEqual(following.offer_expires_on, TODAY + datetime.timedelta(days=7))
        self.assertFalse(has_grant(self.course_leader, offer.person))
        self.assertEqual(group.enrollments.filter(status__in=["enrolled", "offered"]).count(), 1)

    def test_an_offer_still_open_is_refused_naming_its_date(self):
        _group, offer, _next = self.offered(offer_answer_days=3)
        with self.assertRaisesMessage(ValidationError, "can still be answered until"):
            services.expire_offer(offer, on=TODAY + datetime.timedelta(days=3))
        offer.refresh_from_db()
        self.assertEqual(offer.status, EnrollmentStatus.OFFERED)

    def test_an_offer_accepted_meanwhile_does_not_expire(self):
        _group, offer, following = self.offered(offer_answer_days=3)
        stale = Enrollment.objects.get(pk=offer.pk)
        services.accept_offer(offer)
        with self.assertRaisesMessage(ValidationError, "the enrollment is now enrolled"):
            services.expire_offer(stale, on=TODAY + datetime.timedelta(days=10))
        stale.refresh_from_db()
        following.refresh_from_db()
        self.assertEqual((stale.status, following.status), (EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED))

    def test_an_expired_offer_can_no_longer_be_accepted(self):
        _group, offer, _next = self.offered(offer_answer_days=3)
        services.expire_offer(offer, on=TODAY + datetime.timedelta(days=4))
        expired = "the enrollment is now expired: the offered seat was not answered in time"
        with self.assertRaisesMessage(ValidationError, expired):
            services.accept_offer(offer)

    def test_the_nightly_command_expires_only_its_municipality_s_offers(self):
        _group, offer, _next = self.offered(offer_answer_days=1)
        out = io.StringIO()
        with on_day(TODAY + datetime.timedelta(days=2)):
            call_command("expire_offers", "--municipality", "3451", stdout=out)
            offer.refresh_from_db()
            self.assertEqual(offer.status, EnrollmentStatus.OFFERED)
            call_command("expire_offers", "--municipality", "1824", stdout=out)
            call_command("expire_offers", "--municipality", "1824", stdout=out)
        offer.refresh_from_db()
        self.assertEqual(offer.status, EnrollmentStatus.EXPIRED)
        self.assertEqual(
            out.getvalue().splitlines(),
            [f"{n} offered seat(s) expired unanswered and offered to the next." for n in (0, 1, 0)],
        )


class CompleteTest(ExpireTestCase):
    def setUp(self):
        self.group = make_group(
            self.strong, leader=self.course_leader, capacity=2, starts_on=timezone.localdate() - datetime.timedelta(7)
        )
        self.a, self.b, self.waiting = [services.enroll(self.group, p) for p in self.make_people(3)]

    def test_a_completed_participant_keeps_the_seat_and_the_waitlist_is_not_offered_it(self):
        services.complete(self.a)
        self.a.refresh_from_db()
        self.waiting.refresh_from_db()
        self.assertEqual(self.a.status, EnrollmentStatus.COMPLETED)
        self.assertEqual(self.waiting.status, EnrollmentStatus.WAITLISTED)
        self.assertFalse(has_grant(self.course_leader, self.a.person))
        newcomer = services.enroll(self.group, self.make_people(1)[0])
        self.assertEqual(newcomer.status, EnrollmentStatus.WAITLISTED)

    @override_settings(SMALL_COUNT_THRESHOLD=1)  # the two participants shown, not hidden as a small count
    def test_the_year_s_report_still_counts_a_participant_who_completed(self):
        def participants():
            rows = reports.build(self.strong, self.group.starts_on.year)
            return next(r.value for r in rows if (r.section, r.key) == ("courses", "enrolled"))

        self.assertEqual(participants(), 2)
        services.complete(self.a)
        self.assertEqual(participants(), 2)

    def test_the_groups_list_and_the_leader_s_day_count_a_completed_participant_s_seat_as_taken(self):
        services.complete(self.a)
        self.login(self.course_leader)
        groups = self.client.get(reverse("referrals:groups")).content.decode()
        self.assertIn("2 / 2", groups)
        seated = {group.pk: group.seated for group in course_groups(self.course_leader, timezone.localdate())}
        self.assertEqual(seated[self.group.pk], 2)

    def test_completing_a_course_not_started_is_refused(self):
        later = make_group(self.strong, capacity=2, starts_on=timezone.localdate() + datetime.timedelta(3))
        enrollment = services.enroll(later, self.make_people(1)[0])
        with self.assertRaisesMessage(ValidationError, "The course has not started yet"):
            services.complete(enrollment)

    def test_a_withdrawn_participant_cannot_complete_and_a_completed_one_cannot_be_withdrawn(self):
        stale = Enrollment.objects.get(pk=self.a.pk)
        services.withdraw(self.a)
        with self.assertRaisesMessage(ValidationError, "the enrollment is now withdrawn"):
            services.complete(stale)
        services.complete(self.b)
        with self.assertRaisesMessage(ValidationError, "the enrollment is now completed"):
            services.withdraw(self.b)

    def test_the_group_page_marks_one_participant_completed_and_logs_it(self):
        self.login(self.course_leader)
        page = self.client.get(reverse("referrals:group", args=[self.group.pk]))
        self.assertContains(page, reverse("referrals:complete", args=[self.a.pk]))
        response = self.client.post(reverse("referrals:complete", args=[self.a.pk]), follow=True)
        self.assertContains(response, "marked as having completed the course")
        self.a.refresh_from_db()
        self.assertEqual(self.a.status, EnrollmentStatus.COMPLETED)
        # The leader's access came through the enrollment, which has ended: a second click is refused.
        again = self.client.post(reverse("referrals:complete", args=[self.a.pk]))
        self.assertEqual(again.status_code, 403)

    def test_a_second_click_by_someone_who_still_has_access_says_it_is_already_completed(self):
        self.login(self.alice)
        CareRelationship.objects.create(person=self.a.person, user=self.alice, kind="worklist", source="test")
        self.client.post(reverse("referrals:complete", args=[self.a.pk]))
        again = self.client.post(reverse("referrals:complete", args=[self.a.pk]), follow=True)
        self.assertContains(again, "This cannot be done any more: the enrollment is now completed.")

    def test_the_course_leader_withdraws_a_participant_known_only_through_the_group(self):
        """The withdrawal ends the access it is taken under: its log entry names that access."""
        self.login(self.course_leader)
        response = self.client.post(reverse("referrals:withdraw", args=[self.a.pk]))
        self.assertEqual(response.status_code, 302)
        self.a.refresh_from_db()
        self.assertEqual(self.a.status, EnrollmentStatus.WITHDRAWN)
        entry = AccessLogEntry.objects.filter(person=self.a.person).latest("pk")
        self.assertIn("withdrawn", entry.what)

    def test_the_group_page_completes_the_course_for_everyone_enrolled(self):
        self.login(self.course_leader)
        response = self.client.post(reverse("referrals:complete_group", args=[self.group.pk]), follow=True)
        self.assertContains(response, "2 participants are marked as having completed the course")
        statuses = dict(self.group.enrollments.values_list("pk", "status"))
        self.assertEqual(
            statuses,
            {self.a.pk: "completed", self.b.pk: "completed", self.waiting.pk: "waitlisted"},
        )
