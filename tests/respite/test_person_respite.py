import datetime

from django.urls import reverse
from django.utils import timezone

from tests.respite.base import MONDAY, plan_with, vefsn_beds
from trappa.audit.models import AccessAction, AccessLogEntry
from trappa.people.models import ServiceDecision, ServiceKind
from trappa.respite.models import RespiteBooking, RespiteDecision, RespiteUnit
from trappa.test import BaseTestCase


class DecisionTests(BaseTestCase):
    def setUp(self):
        self.login(self.alice)

    def post(self, **fields):
        data = {
            "group": "somatic",
            "home_weeks": 2,
            "stay_weeks": 2,
            "first_stay": "2026-11-30",
            "valid_from": "2026-11-30",
            "valid_until": "",
        } | fields
        return self.client.post(reverse("respite:add_decision", args=[self.olga.pk]), data)

    def test_it_saves_a_decision_valid_six_months_by_default(self):
        service = ServiceDecision.objects.create(
            person=self.olga, decision_id="V-1", service=ServiceKind.ROTATION_STAY, start_date=MONDAY
        )
        self.assertEqual(self.post(service_decision=service.pk).status_code, 302)
        decision = RespiteDecision.objects.get()
        self.assertEqual(
            (decision.valid_until, decision.service_decision), (MONDAY + datetime.timedelta(days=182), service)
        )

    def test_it_records_the_author_and_logs_the_decision(self):
        self.post()
        decision = RespiteDecision.objects.get()
        self.assertEqual(decision.created_by, self.alice)
        entry = AccessLogEntry.objects.get(action=AccessAction.CREATE)
        self.assertEqual((entry.person, entry.what), (self.olga, f"respite decision {decision.pk}"))

    def test_it_rejects_a_first_stay_that_is_not_a_monday(self):
        response = self.post(first_stay="2026-12-01")
        self.assertContains(response, "Stays start on a Monday.")
        self.assertFalse(RespiteDecision.objects.exists())

    def test_it_rejects_a_pattern_with_no_weeks_in(self):
        self.assertContains(self.post(stay_weeks=0), "Weeks in must be between 1 and 12.")
        self.assertFalse(RespiteDecision.objects.exists())

    def test_it_rejects_a_second_decision_valid_at_the_same_time(self):
        self.post()
        response = self.post(first_stay="2027-01-04", valid_from="2027-01-04")
        self.assertContains(response, "already has a rotation-stay decision valid in this period")
        self.assertEqual(RespiteDecision.objects.count(), 1)
        self.assertEqual(self.post(first_stay="2027-06-07", valid_from="2027-06-07").status_code, 302)

    def test_it_offers_only_the_persons_own_rotation_stay_decisions(self):
        other = ServiceDecision.objects.create(
            person=self.per, decision_id="V-2", service=ServiceKind.ROTATION_STAY, start_date=MONDAY
        )
        self.post(service_decision=other.pk)
        self.assertFalse(RespiteDecision.objects.exists())


class BookingTests(BaseTestCase):
    def setUp(self):
        vefsn_beds(self.vefsn)
        self.unit = RespiteUnit.objects.get(code="solina")
        self.login(self.alice)

    def post(self, starts, ends, kind="night", unit=True):
        unit = self.unit.pk if unit else ""
        data = {"kind": kind, "unit": unit, "starts_at": starts, "ends_at": ends, "note": ""}
        return self.client.post(reverse("respite:add_booking", args=[self.olga.pk]), data)

    def test_it_books_a_night(self):
        self.assertEqual(self.post("2026-12-04T20:00", "2026-12-05T08:00").status_code, 302)
        booking = RespiteBooking.objects.get()
        self.assertEqual(timezone.localtime(booking.starts_at).hour, 20)

    def test_it_records_the_author_and_logs_the_booking(self):
        self.post("2026-12-04T20:00", "2026-12-05T08:00")
        booking = RespiteBooking.objects.get()
        self.assertEqual(booking.created_by, self.alice)
        entry = AccessLogEntry.objects.get(action=AccessAction.CREATE)
        self.assertEqual((entry.person, entry.what), (self.olga, f"respite booking {booking.pk}"))

    def test_it_rejects_an_overlapping_booking_and_an_end_before_the_start(self):
        self.post("2026-12-04T20:00", "2026-12-05T08:00")
        self.assertContains(self.post("2026-12-05T07:00", "2026-12-05T10:00"), "already has a booking")
        self.assertContains(self.post("2026-12-06T10:00", "2026-12-06T09:00"), "must end after it starts")
        self.assertEqual(RespiteBooking.objects.count(), 1)

    def test_it_books_a_weekend_and_a_drop_in_by_the_hour_in_a_unit(self):
        # Seed 002 §11: flexible respite, by nights, weekends and hours as well as whole weeks.
        self.assertEqual(self.post("2026-12-04T16:00", "2026-12-06T18:00", "weekend").status_code, 302)
        self.assertEqual(self.post("2026-12-09T10:00", "2026-12-09T13:00", "hourly").status_code, 302)
        kinds = sorted(RespiteBooking.objects.values_list("kind", "unit"))
        self.assertEqual(kinds, [("hourly", self.unit.pk), ("weekend", self.unit.pk)])

    def test_it_books_respite_at_home_without_a_unit(self):
        self.assertEqual(self.post("2026-12-04T10:00", "2026-12-04T14:00", "at_home", unit=False).status_code, 302)
        self.assertIsNone(RespiteBooking.objects.get().unit)
        self.assertContains(self.client.get(reverse("respite:person", args=[self.olga.pk])), "At home")

    def test_respite_in_a_unit_needs_the_unit_and_at_home_has_none(self):
        self.assertContains(self.post("2026-12-04T10:00", "2026-12-04T14:00", "hourly", unit=False), "Choose the unit")
        self.assertContains(self.post("2026-12-04T10:00", "2026-12-04T14:00", "at_home"), "in the person")
        self.assertFalse(RespiteBooking.objects.exists())


class CalendarAndLetterTests(BaseTestCase):
    def test_the_person_calendar_shows_the_planned_stays(self):
        plan_with(self.olga, self.vefsn)
        self.login(self.alice)
        response = self.client.get(reverse("respite:person", args=[self.olga.pk]))
        self.assertContains(response, "Solina Rom")

    def test_it_writes_a_letter_with_the_planned_dates_and_logs_the_export(self):
        plan_with(self.olga, self.vefsn)
        self.login(self.alice)
        response = self.client.get(reverse("respite:letter", args=[self.olga.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertTrue(AccessLogEntry.objects.filter(person=self.olga, action="export").exists())
