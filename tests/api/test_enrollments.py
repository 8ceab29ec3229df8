"""Places in groups through the API: enrolling (or the waitlist when the group is full) and each step
of an enrollment, through the referrals app's own state machine, with the pages' access rules;
repeats are safe and refusals are 400/409 with the state machine's message."""

import datetime

from django.utils import timezone

from tests.api.support import ApiTestCase
from tests.referrals.base import make_group, make_offering
from trappa.accounts.models import Role
from trappa.audit.models import AccessAction, AccessLogEntry, CareRelationship, CareRelationshipKind
from trappa.people.models import Sex
from trappa.referrals import services
from trappa.referrals.models import Enrollment, EnrollmentStatus


class EnrollmentApiTestCase(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.offering = make_offering(cls.vefsn, cls.health, "sterk", "Sterk og stødig")
        # Nina: a second person the client's unit (Alice's) has a care relationship with.
        cls.nina = cls.make_person("24907010062", "Nina", "Ny", datetime.date(1940, 10, 24), Sex.FEMALE)
        CareRelationship.objects.create(
            person=cls.nina, unit=cls.health, kind=CareRelationshipKind.WORKLIST, source="test"
        )

    def setUp(self):
        super().setUp()
        self.group = make_group(self.offering, capacity=1)
        self.client_, self.token = self.api_client_with("write:enrollments")

    def enrol(self, person, group=None, token=None, **data):
        group = group or self.group
        url = f"/api/groups/{group if isinstance(group, int) else group.pk}/enrollments/"
        return self.post_api(url, token or self.token, {"person_id": person.pk, **data})

    def step(self, enrollment, step, token=None):
        pk = enrollment if isinstance(enrollment, int) else enrollment.pk
        return self.post_api(f"/api/enrollments/{pk}/step/", token or self.token, {"step": step})

    def logged(self, person):
        entries = AccessLogEntry.objects.filter(user=self.client_.user, person=person).order_by("seq")
        return [(e.action, e.what) for e in entries]


class EnrolTests(EnrollmentApiTestCase):
    def test_a_seat_then_the_waitlist_when_full_and_a_repeat_takes_no_second_seat(self):
        first = self.enrol(self.olga)
        self.assertEqual(first.status_code, 201, first.content)
        self.assertEqual((first.json()["status"], first.json()["person_id"]), (EnrollmentStatus.ENROLLED, self.olga.pk))
        again = self.enrol(self.olga)
        self.assertEqual((again.status_code, again.json()["id"]), (200, first.json()["id"]))
        self.assertEqual(Enrollment.objects.filter(group=self.group).count(), 1)
        full = self.enrol(self.nina, priority=2)
        self.assertEqual((full.status_code, full.json()["status"]), (201, EnrollmentStatus.WAITLISTED))
        what = f"API (Journal): enrollment {first.json()['id']}, group {self.group.pk}"
        self.assertEqual(self.logged(self.olga), [(AccessAction.CREATE, what), (AccessAction.VIEW, what)])
        # The place gives the group's holder access, as a place taken on the pages does.
        enrollment = Enrollment.objects.get(pk=first.json()["id"])
        self.assertEqual(enrollment.care_relationship.unit, self.health)

    def test_the_services_own_refusals_are_400_with_their_message_and_logged_as_a_view(self):
        conversation = make_group(self.offering, name="Med samtale", requires_pre_course_conversation=True)
        refused = self.enrol(self.olga, group=conversation)
        self.assertEqual(refused.status_code, 400)
        self.assertIn("conversation", refused.json()["detail"])
        self.assertFalse(Enrollment.objects.filter(group=conversation).exists())
        accepted = self.enrol(self.olga, group=conversation, conversation_on="2026-08-20")
        self.assertEqual(accepted.status_code, 201, accepted.content)
        self.assertEqual(self.enrol(self.olga, priority=11).status_code, 400)
        self.assertEqual(self.logged(self.olga)[0][0], AccessAction.VIEW)

    def test_access_as_on_the_pages(self):
        # A person without a care relationship with the client's unit: 403, no place, nothing logged.
        self.assertEqual(self.enrol(self.per).status_code, 403)
        self.assertFalse(Enrollment.objects.filter(person=self.per).exists())
        # Another municipality's person or group: 404, as if they did not exist.
        other = self.make_person("01015000000", "Ola", "Annen", self.olga.birth_date, Sex.MALE, self.nord_aurdal)
        self.assertEqual(self.enrol(other).status_code, 404)
        na_group = make_group(make_offering(self.nord_aurdal, self.na_health, "trim", "Trim"))
        self.assertEqual(self.enrol(self.olga, group=na_group).status_code, 404)
        self.assertEqual(self.enrol(self.olga, group=self.group.pk + 1000).status_code, 404)
        # The wrong scope, or a role that does not work with groups (as the pages' GROUP_ROLES): 403.
        _client, referrals_only = self.api_client_with("write:referrals", name="Referrals")
        self.assertEqual(self.enrol(self.olga, token=referrals_only).status_code, 403)
        _client, coordinator = self.api_client_with("write:enrollments", role=Role.CAREGIVER_COORDINATOR, name="Cora")
        self.assertEqual(self.enrol(self.olga, token=coordinator).status_code, 403)
        self.assertEqual(self.client.post(f"/api/groups/{self.group.pk}/enrollments/").status_code, 401)
        self.assertFalse(Enrollment.objects.filter(group=self.group).exists())
        self.assertEqual(self.logged(self.per), [])


class StepTests(EnrollmentApiTestCase):
    def setUp(self):
        super().setUp()
        self.olgas = services.enroll(self.group, self.olga)
        self.ninas = services.enroll(self.group, self.nina)

    def test_withdrawing_offers_the_freed_seat_to_the_waitlist_and_each_step_is_logged(self):
        withdrawn = self.step(self.olgas, "withdraw")
        self.assertEqual((withdrawn.status_code, withdrawn.json()["status"]), (200, EnrollmentStatus.WITHDRAWN))
        self.ninas.refresh_from_db()
        self.assertEqual(self.ninas.status, EnrollmentStatus.OFFERED)
        self.assertIsNotNone(self.ninas.offer_expires_on)
        accepted = self.step(self.ninas, "accept")
        self.assertEqual((accepted.status_code, accepted.json()["status"]), (200, EnrollmentStatus.ENROLLED))
        self.assertEqual(
            self.logged(self.olga), [(AccessAction.CHANGE, f"API (Journal): enrollment {self.olgas.pk}: withdrawn")]
        )
        self.assertEqual(
            self.logged(self.nina), [(AccessAction.CHANGE, f"API (Journal): enrollment {self.ninas.pk}: seat accepted")]
        )
        # The leader's (here the unit's) access through Olga's place ended with it, as on the pages.
        self.assertIsNotNone(CareRelationship.objects.get(pk=self.olgas.care_relationship_id).ended_at)

    def test_a_step_already_done_answers_the_place_as_it_is(self):
        self.assertEqual(self.step(self.olgas, "withdraw").status_code, 200)
        self.assertEqual(self.step(self.ninas, "accept").status_code, 200)
        for enrollment, step, status in ((self.olgas, "withdraw", "withdrawn"), (self.ninas, "accept", "enrolled")):
            before = Enrollment.objects.get(pk=enrollment.pk).status_at
            again = self.step(enrollment, step)
            self.assertEqual((again.status_code, again.json()["status"]), (200, status))
            self.assertEqual(Enrollment.objects.get(pk=enrollment.pk).status_at, before)
        self.assertEqual(self.logged(self.olga)[-1][0], AccessAction.VIEW)
        seated = Enrollment.objects.filter(group=self.group, status=EnrollmentStatus.ENROLLED)
        self.assertEqual(list(seated), [self.ninas])

    def test_a_step_the_state_machine_refuses_is_a_409_with_the_status_now(self):
        refused = self.step(self.ninas, "accept")  # on the waitlist: no seat on offer
        self.assertEqual(refused.status_code, 409)
        self.assertEqual(refused.json()["status"], EnrollmentStatus.WAITLISTED)
        self.assertIn("no seat on offer", refused.json()["detail"])
        self.assertEqual(self.step(self.ninas, "decline").json()["status"], EnrollmentStatus.WAITLISTED)
        self.assertEqual(self.step(self.olgas, "decline").status_code, 409)
        self.step(self.olgas, "withdraw")
        offered = self.step(self.ninas, "expire")  # still open until its answer-by date
        self.assertEqual(offered.status_code, 409)
        self.assertIn("can still be answered", offered.json()["detail"])
        self.assertEqual(self.step(self.ninas, "complete").status_code, 409)  # offered, not enrolled
        self.assertEqual(self.step(self.ninas, "teleport").status_code, 400)
        self.ninas.refresh_from_db()
        self.assertEqual(self.ninas.status, EnrollmentStatus.OFFERED)
        self.assertEqual(AccessLogEntry.objects.filter(user=self.client_.user, action=AccessAction.CHANGE).count(), 1)

    def test_completing_waits_for_the_start_and_an_overdue_offer_expires(self):
        starts_on = timezone.localdate() + datetime.timedelta(7)
        later = make_group(self.offering, capacity=1, name="Senere", starts_on=starts_on)
        place = services.enroll(later, self.olga)
        not_started = self.step(place, "complete")
        self.assertEqual(not_started.status_code, 409)
        self.assertIn("not started", not_started.json()["detail"])
        self.assertEqual(self.step(self.olgas, "complete").json()["status"], EnrollmentStatus.COMPLETED)
        self.step(self.olgas, "withdraw")  # completed: refused, the seat stays taken
        Enrollment.objects.filter(pk=self.ninas.pk).update(
            status=EnrollmentStatus.OFFERED, offer_expires_on=timezone.localdate() - datetime.timedelta(1)
        )
        expired = self.step(self.ninas, "expire")
        self.assertEqual((expired.status_code, expired.json()["status"]), (200, EnrollmentStatus.EXPIRED))

    def test_access_as_on_the_pages(self):
        pers = services.enroll(make_group(self.offering, name="Pers"), self.per)
        # The place gave the offering's unit (the client's) access to Per: ended, so only the base grants count.
        CareRelationship.objects.filter(pk=pers.care_relationship_id).update(ended_at=timezone.now())
        self.assertEqual(self.step(pers, "withdraw").status_code, 403)
        pers.refresh_from_db()
        self.assertEqual(pers.status, EnrollmentStatus.ENROLLED)
        other = self.make_person("01015000000", "Ola", "Annen", self.olga.birth_date, Sex.MALE, self.nord_aurdal)
        na_place = services.enroll(make_group(make_offering(self.nord_aurdal, self.na_health, "trim", "Trim")), other)
        self.assertEqual(self.step(na_place, "withdraw").status_code, 404)
        self.assertEqual(self.step(na_place.pk + 1000, "withdraw").status_code, 404)
        _client, referrals_only = self.api_client_with("write:referrals", name="Referrals")
        self.assertEqual(self.step(self.olgas, "withdraw", token=referrals_only).status_code, 403)
        _client, planner = self.api_client_with("write:enrollments", role=Role.PLANNER, name="Planner")
        self.assertEqual(self.step(self.olgas, "withdraw", token=planner).status_code, 403)
        self.olgas.refresh_from_db()
        self.assertEqual(self.olgas.status, EnrollmentStatus.ENROLLED)
        self.assertEqual(self.logged(self.per), [])
