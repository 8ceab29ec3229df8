"""The register's counts by sex, age and highest care level on a 1 January (calibration and the KOSTRA page)."""

import datetime

from trappa.people.models import ServiceDecision
from trappa.planning import calibration, params
from trappa.test import BaseTestCase

DAY = datetime.date(2026, 1, 1)


class RegisterCountsTest(BaseTestCase):
    def setUp(self):
        self.ps = params.load(DAY)
        self.rank = {level.key: rank for rank, level in enumerate(self.ps.levels, start=1)}
        self.numbers = iter(f"0101{n:07d}" for n in range(1000, 2000))

    def person(self, birth_date, sex="F", **fields):
        return self.make_person(next(self.numbers), "Test", "Person", birth_date, sex, **fields)

    def decide(self, person, service, start, end=None):
        n = person.decisions.count()
        ServiceDecision.objects.create(
            person=person, decision_id=f"d{n}", service=service, start_date=start, end_date=end
        )

    def counts(self):
        return {key: n for key, n in calibration._counts(self.vefsn, self.ps, DAY).items() if key[1] >= 70}

    def test_each_resident_counts_once_at_the_highest_level_in_force_on_the_day(self):
        ServiceDecision.objects.all().delete()
        born = datetime.date(1945, 6, 1)  # 80 on 1 January 2026
        both = self.person(born)
        self.decide(both, "practical_help", datetime.date(2020, 1, 1))
        self.decide(both, "home_nursing", datetime.date(2025, 3, 1))
        twin = self.person(born)  # the same sex, age and level: counted together
        self.decide(twin, "home_nursing", datetime.date(2024, 5, 1))
        ended = self.person(born)
        self.decide(ended, "long_term_institution", datetime.date(2020, 1, 1), datetime.date(2025, 12, 31))
        later = self.person(born)
        self.decide(later, "long_term_institution", datetime.date(2026, 1, 2))
        alarm_and_stay = self.person(born, sex="M")
        self.decide(alarm_and_stay, "safety_alarm", datetime.date(2024, 1, 1))
        self.decide(alarm_and_stay, "short_term_stay", datetime.date(2025, 12, 20), datetime.date(2026, 1, 1))
        self.person(born, sex="M")  # no decision
        new_year = self.person(datetime.date(1945, 1, 1))  # 81 on the day itself
        self.decide(new_year, "day_care", datetime.date(2025, 1, 1))
        dead = self.person(born, date_of_death=datetime.date(2025, 12, 31))
        self.decide(dead, "home_nursing", datetime.date(2020, 1, 1))
        moved = self.person(born, date_moved_out=datetime.date(2025, 6, 1))
        self.decide(moved, "home_nursing", datetime.date(2020, 1, 1))
        self.assertEqual(
            {key: n for key, n in self.counts().items() if key[1] in (80, 81)},
            {
                (0, 80, self.rank["home_nursing"]): 2,
                (0, 80, 0): 2,  # the ended and the later decision
                (1, 80, self.rank["short_term"]): 1,
                (1, 80, 0): 1,
                (0, 81, self.rank["day_care"]): 1,
            },
        )
