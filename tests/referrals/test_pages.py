import datetime

from django.urls import reverse
from django.utils import timezone

from tests.referrals.base import ReferralTestCase, make_group, make_referral
from trappa.audit.models import AccessAction, AccessLogEntry
from trappa.referrals import services
from trappa.referrals.models import EnrollmentStatus, OutcomeMeasurement, Referral, Status


class ReferralPagesTest(ReferralTestCase):
    def test_it_refers_olga_through_the_form_and_logs_it(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("referrals:new", args=[self.olga.pk]),
            {
                "source": "gp",
                "pathway": "everyday_rehabilitation",
                "offering": self.rehab.pk,
                "reason": "falls",
                "goals": "Gå til butikken selv",
            },
        )
        referral = Referral.objects.get()
        self.assertRedirects(response, reverse("referrals:referral", args=[referral.pk]))
        self.assertEqual((referral.unit, referral.goals), (self.physio, "Gå til butikken selv"))
        self.assertTrue(AccessLogEntry.objects.filter(person=self.olga, action=AccessAction.CREATE).exists())

    def test_it_shows_the_form_again_without_an_offering_or_service(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("referrals:new", args=[self.olga.pk]), {"source": "gp", "pathway": "general", "reason": "x"}
        )
        self.assertContains(response, "Refer to an offering or a service.")
        self.assertFalse(Referral.objects.exists())

    def test_per_cannot_be_referred_by_alice(self):
        self.login(self.alice)
        response = self.client.get(reverse("referrals:new", args=[self.per.pk]))
        self.assertEqual(response.status_code, 403)

    def test_it_moves_a_referral_through_its_steps(self):
        referral = make_referral(self, self.olga, on=datetime.date(2026, 1, 5))
        self.login(self.alice)
        url = reverse("referrals:status", args=[referral.pk])
        self.client.post(url, {"status": "relevant", "on": "2026-01-06"})
        self.client.post(url, {"status": "started", "on": "2026-01-10"})
        self.client.post(url, {"status": "completed", "on": "2026-02-15", "visits": "17"})
        referral.refresh_from_db()
        self.assertEqual((referral.status, referral.visits, referral.duration_days), (Status.COMPLETED, 17, 36))

    def test_it_rejects_dropping_out_without_a_reason(self):
        referral = make_referral(self, self.olga, on=datetime.date(2026, 1, 5))
        services.change_status(referral, Status.RELEVANT, self.alice, on=datetime.date(2026, 1, 6))
        services.change_status(referral, Status.STARTED, self.alice, on=datetime.date(2026, 1, 7))
        self.login(self.alice)
        response = self.client.post(
            reverse("referrals:status", args=[referral.pk]), {"status": "dropped_out", "on": "2026-01-20"}
        )
        self.assertContains(response, "Give the reason.")
        referral.refresh_from_db()
        self.assertEqual(referral.status, Status.STARTED)

    def test_it_scores_the_sppb_through_the_engine(self):
        referral = make_referral(self, self.olga)
        self.login(self.alice)
        response = self.client.post(
            reverse("referrals:measurement", args=[referral.pk]),
            {
                "moment": "start",
                "on": "2026-01-05",
                "sppb__side_by_side": "10",
                "sppb__semi_tandem": "10",
                "sppb__tandem": "10",
                "sppb__gait__1": "3,90",
                "sppb__gait__2": "4.10",
                "sppb__chair_stand_single": "yes",
                "sppb__chair_stands": "9.80",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(OutcomeMeasurement.objects.get().total, 12)

    def test_it_records_an_end_test_not_done(self):
        referral = make_referral(self, self.olga)
        self.login(self.alice)
        self.client.post(
            reverse("referrals:measurement", args=[referral.pk]),
            {"moment": "end", "on": "2026-02-01", "not_tested_reason": "Syk"},
        )
        measurement = OutcomeMeasurement.objects.get()
        self.assertEqual((measurement.not_tested, measurement.total), (True, None))

    def test_it_refuses_bad_sppb_answers_and_saves_nothing(self):
        referral = make_referral(self, self.olga)
        self.login(self.alice)
        response = self.client.post(
            reverse("referrals:measurement", args=[referral.pk]),
            {"moment": "start", "on": "2026-01-05", "sppb__side_by_side": "99"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "errorlist")
        self.assertFalse(OutcomeMeasurement.objects.exists())

    def test_the_waitlist_shows_waiting_time(self):
        referral = make_referral(self, self.olga, on=datetime.date(2026, 1, 5))
        services.change_status(referral, Status.RELEVANT, self.alice, on=datetime.date(2026, 1, 6))
        services.change_status(referral, Status.WAITING, self.alice, on=datetime.date(2026, 1, 7))
        self.login(self.alice)
        response = self.client.get(reverse("referrals:waitlist", args=[self.rehab.pk]))
        days = (timezone.localdate() - datetime.date(2026, 1, 7)).days
        self.assertContains(response, "Olga Nordmann")
        self.assertContains(response, f"<td>{days}</td>", html=True)

    def test_charlie_gets_a_404_for_a_vefsn_referral(self):
        referral = make_referral(self, self.olga)
        self.login(self.charlie)
        self.assertEqual(self.client.get(reverse("referrals:referral", args=[referral.pk])).status_code, 404)


class GroupPagesTest(ReferralTestCase):
    def test_enrolling_through_the_page_then_withdrawing_offers_the_seat_to_the_next(self):
        group = make_group(self.strong, leader=self.course_leader, capacity=1)
        services.enroll(group, self.per)
        self.login(self.alice)
        self.client.post(reverse("referrals:enroll", args=[group.pk, self.olga.pk]))
        olga = group.enrollments.get(person=self.olga)
        self.assertEqual(olga.status, EnrollmentStatus.WAITLISTED)
        per = group.enrollments.get(person=self.per)
        services.withdraw(per)
        olga.refresh_from_db()
        self.assertEqual(olga.status, EnrollmentStatus.OFFERED)
        self.client.post(reverse("referrals:accept", args=[olga.pk]))
        olga.refresh_from_db()
        self.assertEqual(olga.status, EnrollmentStatus.ENROLLED)

    def test_the_group_list_shows_counts_and_no_names(self):
        group = make_group(self.strong, leader=self.course_leader, capacity=1)
        services.enroll(group, self.olga)
        services.enroll(group, self.per)
        self.login(self.planner)
        response = self.client.get(reverse("referrals:groups"))
        self.assertContains(response, "1 / 1")
        self.assertNotContains(response, "Olga")

    def test_the_roster_shows_only_persons_the_user_may_see(self):
        group = make_group(self.rehab, leader=None, capacity=5)  # the physio unit gets access, not Alice
        services.enroll(group, self.olga)
        services.enroll(group, self.per)
        self.login(self.alice)
        response = self.client.get(reverse("referrals:group", args=[group.pk]))
        self.assertContains(response, "Olga Nordmann")
        self.assertNotContains(response, "Utenfor")


class AttendancePageTest(ReferralTestCase):
    def test_it_marks_who_came_among_the_participants_the_user_sees(self):
        group = make_group(self.rehab, leader=None, capacity=5)
        olga = services.enroll(group, self.olga)
        per = services.enroll(group, self.per)
        session = services.add_weekly_sessions(group, timezone.now(), 2)[0]
        self.login(self.alice)
        response = self.client.post(reverse("referrals:attendance", args=[session.pk]), {"present": [olga.pk, per.pk]})
        self.assertEqual(response.status_code, 302)
        # Alice cannot see Per, so only Olga's attendance is written.
        self.assertEqual(list(session.attendance.values_list("enrollment_id", "present")), [(olga.pk, True)])
        response = self.client.get(reverse("referrals:attendance", args=[session.pk]))
        self.assertContains(response, "checked")
        self.assertNotContains(response, "Utenfor")


class NewGroupPageTest(ReferralTestCase):
    def post(self, **fields):
        data = {
            "offering": self.strong.pk,
            "name": "Sterk og stødig, Mosjøen",
            "volunteer_leader": "Randi",
            "capacity": "12",
            "fee": "150",
            "starts_on": "2026-09-01",
            "first_session": "2026-09-01T11:00",
            "sessions": "10",
            **fields,
        }
        self.login(self.course_leader)
        return self.client.post(reverse("referrals:new_group"), data)

    def test_it_creates_a_group_with_weekly_sessions(self):
        self.assertRedirects(self.post(), reverse("referrals:groups"))
        group = self.strong.groups.get()
        starts = list(group.sessions.values_list("starts_at", flat=True))
        self.assertEqual(len(starts), 10)
        self.assertEqual(starts[1] - starts[0], datetime.timedelta(weeks=1))
        self.assertEqual(timezone.localtime(starts[0]).hour, 11)

    def test_it_needs_a_leader(self):
        response = self.post(volunteer_leader="")
        self.assertContains(response, "Name the leader")
        self.assertFalse(self.strong.groups.exists())

    def test_it_refuses_zero_seats_and_writes_nothing(self):
        response = self.post(capacity="0")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self.strong.groups.exists())


class EnrollFromThePersonPageTest(ReferralTestCase):
    def test_it_enrolls_in_the_chosen_group_with_priority(self):
        group = make_group(self.strong, leader=self.course_leader, capacity=0)
        self.login(self.alice)
        page = self.client.get(reverse("referrals:person", args=[self.olga.pk]))
        self.assertContains(page, group.name)
        self.client.post(reverse("referrals:enroll_person", args=[self.olga.pk]), {"group": group.pk, "priority": "3"})
        enrollment = group.enrollments.get()
        self.assertEqual((enrollment.status, enrollment.priority), (EnrollmentStatus.WAITLISTED, 3))

    def test_a_missing_group_is_a_clear_error(self):
        self.login(self.alice)
        url = reverse("referrals:enroll_person", args=[self.olga.pk])
        response = self.client.post(url, {"group": "x"}, follow=True)
        self.assertContains(response, "Choose a group.")


class WaitlistsPageTest(ReferralTestCase):
    def test_it_counts_who_waits_per_offering_without_names(self):
        referral = make_referral(self, self.olga, on=datetime.date(2026, 1, 5))
        services.change_status(referral, Status.RELEVANT, self.alice, on=datetime.date(2026, 1, 6))
        make_referral(self, self.per)  # referred, not yet assessed: not waiting
        self.login(self.planner)
        response = self.client.get(reverse("referrals:waitlists"))
        # One person waiting: the count is hidden, and so are the days (they would be hers).
        self.assertContains(response, "<td>&lt;5</td><td>–</td><td>–</td>", html=True)
        self.assertNotContains(response, "Olga")
