import datetime
import io

from django.core.management import CommandError, call_command
from django.test import override_settings

from trappa.assessments.instruments import get, score
from trappa.assessments.models import HomeVisit, Screening
from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.demo.management.commands.load_screenings_demo import HIGHER_IS_BETTER, INSTRUMENTS
from trappa.people.models import Sex
from trappa.test import BaseTestCase


class LoadScreeningsDemoTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.followed = [
            cls.make_person(f"0202{n:02d}40000", f"S{n}", "Screening", datetime.date(1944, 2, 2), Sex.FEMALE)
            for n in range(5)
        ]
        for person in cls.followed:
            CareRelationship.objects.create(
                person=person, unit=cls.health, kind=CareRelationshipKind.WORKLIST, source="test"
            )
        cls.stranger = cls.make_person("03034400000", "Ukjent", "Person", datetime.date(1944, 3, 3), Sex.MALE)

    def load(self, *args):
        call_command("load_screenings_demo", "--municipality", "1824", *args, stdout=io.StringIO())

    def test_each_person_the_nurse_follows_is_screened_before_and_after_by_the_engine(self):
        self.load("--persons", "4")
        visits = HomeVisit.objects.filter(municipality=self.vefsn)
        self.assertEqual(visits.count(), 8)
        self.assertEqual(Screening.objects.count(), 8 * len(INSTRUMENTS))
        self.assertFalse(HomeVisit.objects.filter(person=self.stranger).exists())
        for item in Screening.objects.all():
            # Stored as the engine scores the stored answers, with the instrument's version.
            result = score(get(item.instrument_id), item.answers)
            self.assertEqual((item.total, item.band), (result.total, result.band.id if result.band else ""))

    def test_the_later_screening_is_the_same_or_better(self):
        self.load()
        for person in HomeVisit.objects.values_list("person", flat=True).distinct():
            for instrument_id in INSTRUMENTS:
                before, after = Screening.objects.filter(person=person, instrument_id=instrument_id).order_by(
                    "screened_on"
                )
                change = after.total - before.total
                with self.subTest(instrument=instrument_id):
                    self.assertGreaterEqual(change if instrument_id in HIGHER_IS_BETTER else -change, 0)

    def test_the_visits_are_in_the_past_and_loaded_once(self):
        self.load()
        self.assertFalse(HomeVisit.objects.filter(visited_on__gt=datetime.date.today()).exists())
        with self.assertRaisesMessage(CommandError, "already has home visits"):
            self.load()

    @override_settings(DEMO=True, LANGUAGE_CODE="en")
    def test_the_nurse_sees_the_screenings_marked_invented(self):
        self.load("--persons", "1")
        visit = HomeVisit.objects.first()
        self.login(self.alice)
        page = self.client.get(f"/assessments/visits/{visit.pk}/")
        self.assertContains(page, "screenings loaded with the demo are invented")
        self.assertContains(page, get("gds_15").name.get("en"))

    def test_where_the_worklist_holds_too_few_the_oldest_are_referred_to_the_nurses_unit(self):
        self.load("--persons", "8")  # Olga and the five followed, then the two oldest others
        self.assertEqual(HomeVisit.objects.values("person").distinct().count(), 8)
        given = CareRelationship.objects.filter(source="demo: screenings", unit=self.health)
        self.assertEqual(given.count(), 2)
        self.assertIn(self.stranger.pk, given.values_list("person", flat=True))
