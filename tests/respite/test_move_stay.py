"""Moving a planned stay to another ward when its own is full: the bed must be free for the whole stay."""

import datetime
import threading
from unittest import skipUnless

from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, connections
from django.test import TransactionTestCase
from django.urls import reverse
from django.utils import timezone

from tests.respite.base import decision, follow_up, vefsn_beds
from trappa.accounts.models import Municipality, Role, Unit, User
from trappa.audit.models import AccessLogEntry
from trappa.people.models import Person, Sex
from trappa.respite import services
from trappa.respite.models import StayMove
from trappa.test import BaseTestCase

# Stays in the future, so they can still move whatever day the suite runs.
START = services.next_monday(timezone.localdate()) + datetime.timedelta(weeks=1)


def week(n):
    return START + datetime.timedelta(weeks=n)


class MoveStayTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.beds = vefsn_beds(cls.vefsn)  # Solina rom 1-3 (somatic), Miljøtunet rom 1-3 (dementia)
        cls.gerd = cls.make_person("02885100047", "Gerd", "Venter", datetime.date(1941, 8, 2), "F")
        decision(cls.olga, first=START, home=2, stay=2)
        decision(cls.gerd, group="dementia", first=START, home=2, stay=2)
        cls.plan = services.make_plan(cls.vefsn, start=START, weeks=8)
        cls.stay = cls.plan.stays.filter(decision__person=cls.olga, bed__isnull=False).order_by("start").first()
        cls.gerds = cls.plan.stays.filter(decision__person=cls.gerd, bed__isnull=False).order_by("start").first()
        follow_up(cls.alice, cls.gerd)

    def test_a_stay_moves_to_a_free_bed_on_another_ward_with_its_history(self):
        target = next(b for b in self.beds if b.unit.code == "miljotunet" and b != self.gerds.bed)
        old = self.stay.bed
        move = services.move_stay(self.stay, target, self.alice, "Solina is full")
        self.stay.refresh_from_db()
        self.assertEqual(self.stay.bed, target)
        self.assertEqual(
            (move.from_bed, move.to_bed, move.moved_by, move.reason), (old, target, self.alice, "Solina is full")
        )

    def test_a_bed_taken_in_any_week_of_the_stay_is_refused(self):
        with self.assertRaises(ValidationError):
            services.move_stay(self.stay, self.gerds.bed, self.alice)
        self.stay.refresh_from_db()
        self.assertNotEqual(self.stay.bed, self.gerds.bed)
        self.assertFalse(StayMove.objects.exists())
        self.assertNotIn(self.gerds.bed, services.free_beds(self.stay))

    def test_the_next_plan_keeps_the_moved_stay_on_its_new_bed(self):
        target = next(b for b in self.beds if b.unit.code == "solina" and b != self.stay.bed)
        services.move_stay(self.stay, target, self.alice)
        newer = services.make_plan(self.vefsn, start=START, weeks=8)
        again = newer.stays.get(decision=self.stay.decision, start=self.stay.start)
        self.assertEqual(again.bed, target)

    def test_a_stay_of_an_older_plan_cannot_move(self):
        services.make_plan(self.vefsn, start=START, weeks=8)
        target = next(b for b in self.beds if b.unit.code == "solina" and b != self.stay.bed)
        with self.assertRaises(ValidationError):
            services.move_stay(self.stay, target, self.alice)

    def test_the_person_page_offers_the_free_beds_and_the_move_is_logged(self):
        self.login(self.alice)
        page = self.client.get(reverse("respite:person", args=[self.olga.pk]))
        self.assertContains(page, reverse("respite:move_stay", args=[self.stay.pk]))
        target = next(b for b in self.beds if b.unit.code == "miljotunet" and b != self.gerds.bed)
        url = reverse("respite:move_stay", args=[self.stay.pk])
        response = self.client.post(url, {f"stay-{self.stay.pk}-bed": target.pk, f"stay-{self.stay.pk}-reason": "full"})
        self.assertRedirects(response, reverse("respite:person", args=[self.olga.pk]))
        self.stay.refresh_from_db()
        self.assertEqual(self.stay.bed, target)
        entry = AccessLogEntry.objects.filter(person=self.olga, what__contains="moved to bed").get()
        self.assertEqual(entry.action, "change")
        page = self.client.get(reverse("respite:person", args=[self.olga.pk]))
        self.assertContains(page, "full")

    def test_a_bed_not_free_is_refused_on_the_page(self):
        self.login(self.alice)
        url = reverse("respite:move_stay", args=[self.stay.pk])
        self.client.post(url, {f"stay-{self.stay.pk}-bed": self.gerds.bed.pk})
        self.stay.refresh_from_db()
        self.assertNotEqual(self.stay.bed, self.gerds.bed)

    def test_an_outsider_may_not_move_the_stay(self):
        self.login(self.charlie)
        url = reverse("respite:move_stay", args=[self.stay.pk])
        self.assertEqual(self.client.post(url, {f"stay-{self.stay.pk}-bed": self.beds[5].pk}).status_code, 404)


@skipUnless(connection.vendor == "postgresql", "PostgreSQL only: SQLite has one writer and no row locks")
class ConcurrentMovesTest(TransactionTestCase):
    """Two stays moved into the one free bed at the same moment, from two connections: one wins."""

    def test_two_moves_into_one_bed_at_once_place_one(self):
        vefsn = Municipality.objects.create(number="1824", name="Vefsn", slug="vefsn")
        unit = Unit.objects.create(municipality=vefsn, code="tk", name="Tjenestekontoret")
        user = User.objects.create_user("siri", password="x" * 20, role=Role.CASEWORKER, unit=unit, municipality=vefsn)
        beds = vefsn_beds(vefsn)
        for n in range(2):
            person = Person.objects.create(
                municipality=vefsn,
                national_id=f"8{n:010d}",
                given_name="P",
                family_name="Test",
                birth_date=datetime.date(1944, 1, 1),
                sex=Sex.FEMALE,
                municipality_number="1824",
            )
            decision(person, first=START, home=2, stay=2)
        plan = services.make_plan(vefsn, start=START, weeks=8)
        stays = list(plan.stays.filter(bed__isnull=False, start=START))
        target = beds[5]  # a dementia bed on Miljøtunet, free: both somatic stays want it
        barrier, outcomes = threading.Barrier(2), []

        def move(stay):
            close_old_connections()
            try:
                barrier.wait()
                services.move_stay(stay, target, user)
                outcomes.append("moved")
            except ValidationError:
                outcomes.append("refused")
            finally:
                connections.close_all()

        threads = [threading.Thread(target=move, args=(stay,)) for stay in stays]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(outcomes), ["moved", "refused"])
        self.assertEqual(plan.stays.filter(bed=target, start=START).count(), 1)
