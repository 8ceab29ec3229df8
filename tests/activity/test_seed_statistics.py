"""Records matching the plan's year reproduce seed 001's statistics tables exactly.

Every expected figure is read from the seed text (tests/seeds.py), not typed in
here; the records are built to match the plan's counts, and the page computes
the table from them.
"""

import datetime
import io
import re

from django.test import override_settings
from openpyxl import load_workbook

from tests import seeds
from tests.activity.base import StatisticsTestCase, born_aged, make_persons, spread
from tests.referrals.base import make_offering
from trappa.activity.models import (
    DeviceLoan,
    DeviceRequest,
    LoanKind,
    PathwayRegistration,
    Stay,
    StayPurpose,
    Ward,
    WardKind,
)
from trappa.catalogue.models import Offering
from trappa.people.models import ServiceDecision, ServiceKind
from trappa.referrals.models import (
    HealthyLifeReason,
    IndividualPlan,
    Pathway,
    PlanAnswer,
    Referral,
    ServiceArea,
    Source,
    Status,
)

# The purposes in the order of the seed's table (§7.1).
STAY_ROWS = {
    "Rehabilitering": StayPurpose.REHABILITATION,
    "Korttidsplass": StayPurpose.SHORT_TERM,
    "Rullering": StayPurpose.ROTATION,
    "Langtidsplass": StayPurpose.LONG_TERM,
}


def seed_stays():
    text = seeds.text("001")
    table = text[text.index("På Lokalmedisinsk senter var det i 2017") :]
    rows = {}
    for name in [*STAY_ROWS, "SUM"]:
        match = re.search(rf"{name} (\d+) (\d+) (\d+,\d)", table)
        rows[name] = tuple(seeds.number(g) for g in match.groups())
    beds = seeds.find(r"(\d+) plasser på avdelingen Lokalmedisinsk senter", text)
    return beds, rows


@override_settings(SMALL_COUNT_THRESHOLD=1)
class StaysTest(StatisticsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.beds, cls.seed = seed_stays()
        cls.lms = Ward.objects.create(municipality=cls.vefsn, code="lms", name="Lokalmedisinsk senter", places=cls.beds)
        other = Ward.objects.create(municipality=cls.vefsn, code="solina", name="Solina", places=7)
        stays = []
        for name, purpose in STAY_ROWS.items():
            patients, days, _share = cls.seed[name]
            persons = make_persons(cls.vefsn, [datetime.date(1940, 1, 1)] * patients)
            start = datetime.date(2017, 1, 1)
            for n, (person, length) in enumerate(zip(persons, spread(days, patients), strict=True)):
                admitted = start + datetime.timedelta(days=n % 300)
                if n == 0:
                    # Admitted before New Year: only the days inside 2017 count.
                    admitted = datetime.date(2016, 12, 22)
                    length += 10
                discharged = admitted + datetime.timedelta(days=length)
                stays.append(
                    Stay(ward=cls.lms, person=person, purpose=purpose, admitted_on=admitted, discharged_on=discharged)
                )
            # The same persons elsewhere or another year do not count.
            stays.append(
                Stay(
                    ward=other,
                    person=persons[0],
                    purpose=purpose,
                    admitted_on=start,
                    discharged_on=start + datetime.timedelta(days=9),
                )
            )
            stays.append(Stay(ward=cls.lms, person=persons[-1], purpose=purpose, admitted_on=datetime.date(2018, 1, 1)))
        Stay.objects.bulk_create(stays)

    def test_the_2017_stays_give_the_seeds_table(self):
        table = self.csv_table(self.statistics(table="stays", ward=self.lms.pk, year=2017))
        for name, purpose in [*STAY_ROWS.items(), ("SUM", "total")]:
            patients, days, share = self.seed[name]
            got = table[purpose]
            self.assertEqual(
                (int(got["patients"]), int(got["bed_days"]), float(got["occupancy_percent"])),
                (patients, days, share),
                name,
            )

    def test_the_xlsx_export_has_the_same_numbers(self):
        response = self.statistics(table="stays", ward=self.lms.pk, year=2017, format="xlsx")
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
        self.assertEqual(rows["total"][2:], self.seed["SUM"])

    def test_a_stay_still_going_counts_its_days_so_far_in_the_year(self):
        table = self.csv_table(self.statistics(table="stays", ward=self.lms.pk, year=2018))
        self.assertEqual(table["long_term"]["bed_days"], "365")


class IndividualPlansTest(StatisticsTestCase):
    ON = datetime.date(2018, 3, 1)

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        text = seeds.text("001")
        table = text[text.index("Tjeneste bruker er tilknyttet") : text.index("SUM 74") + 6]
        counts = [int(n) for n in re.findall(r"(?:Under|Over) 18 år (\d+)", table)]
        cls.total = seeds.find(r"SUM (\d+)", table)
        cls.expected = dict(
            zip(
                ["home_0", "home_18", "environmental_therapy_18", "home_services_18", "substance_psychiatry_18"],
                counts,
                strict=True,
            )
        )
        plans = []
        for key, count in cls.expected.items():
            area, low = key.rsplit("_", 1)
            persons = make_persons(cls.vefsn, [born_aged(10 if low == "0" else 40, cls.ON)] * count)
            plans += [
                IndividualPlan(
                    municipality=cls.vefsn,
                    person=p,
                    entitled_on=datetime.date(2017, 5, 1),
                    answer=PlanAnswer.ACCEPTED,
                    service_area=area,
                )
                for p in persons
            ]
        # A declined plan and a closed plan are not IP users.
        extra = make_persons(cls.vefsn, [born_aged(50, cls.ON)] * 2)
        plans.append(
            IndividualPlan(
                municipality=cls.vefsn,
                person=extra[0],
                entitled_on=datetime.date(2017, 1, 1),
                answer=PlanAnswer.DECLINED,
                service_area=ServiceArea.HOME,
            )
        )
        plans.append(
            IndividualPlan(
                municipality=cls.vefsn,
                person=extra[1],
                entitled_on=datetime.date(2017, 1, 1),
                answer=PlanAnswer.ACCEPTED,
                service_area=ServiceArea.HOME,
                closed_on=datetime.date(2017, 12, 31),
            )
        )
        IndividualPlan.objects.bulk_create(plans)

    @override_settings(SMALL_COUNT_THRESHOLD=1)
    def test_the_plans_give_the_seeds_table(self):
        table = self.csv_table(self.statistics(table="individual_plans", year=2018, on=self.ON.isoformat()))
        got = {key: int(table[key]["users"]) for key in self.expected}
        self.assertEqual(got, self.expected)
        self.assertEqual(int(table["total"]["users"]), self.total)
        self.assertEqual(table["home_services_0"]["users"], "0")

    def test_small_counts_and_the_total_that_would_reveal_them_are_hidden(self):
        table = self.csv_table(self.statistics(table="individual_plans", year=2018, on=self.ON.isoformat()))
        self.assertEqual(table["home_services_18"]["users"], "fewer than 5")
        self.assertEqual(table["total"]["users"], "fewer than 5")
        self.assertEqual(table["home_0"]["users"], "35")


@override_settings(SMALL_COUNT_THRESHOLD=1)
class HealthyLifeTest(StatisticsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        text = seeds.text("001")
        cls.referred = seeds.find(r"(\d+) personer ble henvist til Frisklivssentralen", text)
        cls.completed = seeds.find(r"Av disse gjennomførte (\d+)", text)
        cls.middle_percent = seeds.find(r"gruppen 40-59 år \((\d+)%\)", text)
        cls.reasons = {
            HealthyLifeReason.MUSCULOSKELETAL: seeds.find(r"muskel/skjelett \((\d+)/", text),
            HealthyLifeReason.OVERWEIGHT: seeds.find(r"overvekt \((\d+)/", text),
            HealthyLifeReason.INACTIVITY: seeds.find(r"inaktivitet \((\d+)/", text),
        }
        offering = make_offering(cls.vefsn, cls.physio, "frisklivsresept", "Frisklivsresept")
        middle = round(cls.referred * cls.middle_percent / 100)
        referred_on = datetime.date(2017, 6, 1)
        ages = [45] * middle + [30, 65] * ((cls.referred - middle) // 2) + [70] * ((cls.referred - middle) % 2)
        persons = make_persons(cls.vefsn, [born_aged(a, referred_on) for a in ages])
        categories = [c for c, n in cls.reasons.items() for _ in range(n)]
        categories += [HealthyLifeReason.OTHER] * (cls.referred - len(categories))
        Referral.objects.bulk_create(
            Referral(
                municipality=cls.vefsn,
                person=person,
                offering=offering,
                pathway=Pathway.HEALTHY_LIFE,
                source=Source.GP,
                reason_category=category,
                unit=cls.physio,
                referred_on=referred_on,
                status=Status.COMPLETED if n < cls.completed else Status.DROPPED_OUT,
                status_on=referred_on,
            )
            for n, (person, category) in enumerate(zip(persons, categories, strict=True))
        )
        # Another pathway and another year do not count.
        Referral.objects.create(
            municipality=cls.vefsn,
            person=persons[0],
            offering=offering,
            pathway=Pathway.GENERAL,
            source=Source.GP,
            unit=cls.physio,
            referred_on=referred_on,
            status_on=referred_on,
        )
        Referral.objects.create(
            municipality=cls.vefsn,
            person=persons[0],
            offering=offering,
            pathway=Pathway.HEALTHY_LIFE,
            source=Source.GP,
            unit=cls.physio,
            referred_on=datetime.date(2018, 1, 2),
            status_on=referred_on,
        )

    def test_the_2017_referrals_give_the_seeds_figures(self):
        table = self.csv_table(self.statistics(table="healthy_life", year=2017))
        self.assertEqual(int(table["referred"]["persons"]), self.referred)
        self.assertEqual(int(table["completed"]["persons"]), self.completed)
        self.assertEqual(round(float(table["age_40"]["percent"])), self.middle_percent)
        for reason, count in self.reasons.items():
            self.assertEqual(int(table[f"reason_{reason}"]["persons"]), count, reason)


@override_settings(SMALL_COUNT_THRESHOLD=1)
class DevicesTest(StatisticsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        text = seeds.text("001")
        requests = re.search(r"2012 2013 2014 2015 2016 2017 Antall henvendelser ((?:\d+ ){6})", text).group(1).split()
        cls.requests = dict(zip(range(2012, 2018), map(int, requests), strict=True))
        nav = text[text.index("Beskrivelse 2013 2014 2015 2016") :]
        cls.active = dict(
            zip(
                range(2013, 2017),
                map(seeds.number, re.search(r"hjelpemidler ((?:[\d.]+ ){4})", nav).group(1).split()),
                strict=True,
            )
        )
        cls.lent = dict(
            zip(
                range(2013, 2017),
                map(seeds.number, re.search(r"utleverte hjelpemidler ((?:\d+ ){4})", nav).group(1).split()),
                strict=True,
            )
        )
        cls.values = dict(zip(range(2013, 2017), map(seeds.number, re.findall(r"Kr\. ([\d.]+)", nav)[:4]), strict=True))
        DeviceRequest.objects.bulk_create(
            DeviceRequest(municipality=cls.vefsn, received_on=datetime.date(year, 1 + n % 12, 1 + n % 28))
            for year, count in cls.requests.items()
            for n in range(count)
        )
        cls.make_loans()

    @classmethod
    def make_loans(cls):
        """Long-term loans whose year-end holders, yearly lendings and values are NAV's figures."""
        old = cls.active[2013] - cls.lent[2013]
        persons = make_persons(cls.vefsn, [datetime.date(1940, 1, 1)] * (old + sum(cls.lent.values())))
        pool = [
            DeviceLoan(person=p, device="Rullator", kind=LoanKind.LONG_TERM, lent_on=datetime.date(2012, 3, 1))
            for p in persons[:old]
        ]
        loans, rest, holding = list(pool), persons[old:], cls.active[2013] - cls.lent[2013]
        for year in range(2013, 2017):
            new, rest = rest[: cls.lent[year]], rest[cls.lent[year] :]
            values = cls.spread_value(cls.values[year], len(new))
            loans += [
                DeviceLoan(person=p, device="Seng", kind=LoanKind.LONG_TERM, lent_on=datetime.date(year, 5, 1), value=v)
                for p, v in zip(new, values, strict=True)
            ]
            returned = holding + len(new) - cls.active[year]
            for loan in pool[:returned]:
                loan.returned_on = datetime.date(year, 6, 1)
            pool, holding = pool[returned:], holding + len(new) - returned
        DeviceLoan.objects.bulk_create(loans)

    @staticmethod
    def spread_value(total, parts):
        return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]

    def test_requests_per_year_give_the_seeds_row(self):
        table = self.csv_table(self.statistics(table="devices", first_year=2012, year=2017))
        self.assertEqual({y: int(table[str(y)]["requests"]) for y in self.requests}, self.requests)

    def test_long_term_loans_give_navs_table(self):
        table = self.csv_table(self.statistics(table="devices", first_year=2013, year=2016))
        self.assertEqual({y: int(table[str(y)]["active_users"]) for y in self.active}, self.active)
        self.assertEqual({y: int(table[str(y)]["users_lent"]) for y in self.lent}, self.lent)
        self.assertEqual({y: int(table[str(y)]["value_lent"]) for y in self.values}, self.values)


@override_settings(SMALL_COUNT_THRESHOLD=1)
class MentalHealthTest(StatisticsTestCase):
    ON = datetime.date(2018, 2, 1)

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        text = seeds.text("001")
        cls.expected = {}
        for pathway in (1, 2, 3):
            match = re.search(
                rf"(\d+) personer er per 1\. februar 2018 registrert i Rus- og psykiatritjenesten"
                rf" med lidelser knyttet til hovedforløp {pathway}\. (\d+) personer er under 30 år",
                text,
            )
            cls.expected[pathway] = (int(match.group(1)), int(match.group(2)))
        cls.lar = seeds.find(r"er det i Vefsn (\d+) LAR-brukere", text)
        registrations = []
        for pathway, (count, young) in cls.expected.items():
            persons = make_persons(
                cls.vefsn, [born_aged(25, cls.ON)] * young + [born_aged(45, cls.ON)] * (count - young)
            )
            registrations += [
                PathwayRegistration(
                    person=p,
                    pathway=pathway,
                    registered_from=datetime.date(2017, 9, 1),
                    medication_assisted=pathway == 3 and n < cls.lar,
                )
                for n, p in enumerate(persons)
            ]
            # Registered after the day, or ended before it: not counted.
            registrations.append(
                PathwayRegistration(
                    person=persons[0],
                    pathway=pathway,
                    registered_from=datetime.date(2016, 1, 1),
                    registered_to=datetime.date(2017, 1, 1),
                )
            )
        PathwayRegistration.objects.bulk_create(registrations)

    def test_registrations_give_the_seeds_counts(self):
        table = self.csv_table(self.statistics(table="mental_health", year=2018, on=self.ON.isoformat()))
        got = {p: (int(table[f"pathway_{p}"]["persons"]), int(table[f"pathway_{p}"]["under_30"])) for p in (1, 2, 3)}
        self.assertEqual(got, self.expected)
        self.assertEqual(int(table["lar"]["persons"]), self.lar)


@override_settings(SMALL_COUNT_THRESHOLD=1)
class EnvironmentalTherapyTest(StatisticsTestCase):
    ON = datetime.date(2018, 3, 1)

    def test_the_services_records_give_the_seeds_figures(self):
        text = seeds.text("001")
        homes = seeds.find(r"ansvar for (\d+) omsorgsleiligheter med 24 timers døgnbemanning", text)
        ambulant = seeds.find(r"(\d+) brukere bor i egen bolig og får bistand gjennom ambulerende team", text)
        plans = seeds.find(r"Miljøterapitjenesten Over 18 år (\d+)", text)
        Ward.objects.create(
            municipality=self.vefsn,
            code="mt",
            name="Miljøterapitjenesten",
            kind=WardKind.STAFFED_HOUSING,
            places=homes,
            service_area=ServiceArea.ENVIRONMENTAL_THERAPY,
        )
        Ward.objects.create(
            municipality=self.vefsn,
            code="rp",
            name="Bemannede boliger, rus og psykiatri",
            kind=WardKind.STAFFED_HOUSING,
            places=12,
            service_area=ServiceArea.SUBSTANCE_PSYCHIATRY,
        )
        for n, person in enumerate(make_persons(self.vefsn, [born_aged(30, self.ON)] * ambulant)):
            ServiceDecision.objects.create(
                person=person,
                decision_id=f"MT-{n}",
                service=ServiceKind.AMBULANT_TEAM,
                start_date=datetime.date(2017, 1, 1),
            )
        for person in make_persons(self.vefsn, [born_aged(30, self.ON)] * plans):
            IndividualPlan.objects.create(
                municipality=self.vefsn,
                person=person,
                entitled_on=datetime.date(2017, 1, 1),
                answer=PlanAnswer.ACCEPTED,
                service_area=ServiceArea.ENVIRONMENTAL_THERAPY,
            )
        table = self.csv_table(self.statistics(table="environmental_therapy", year=2018, on=self.ON.isoformat()))
        self.assertEqual(int(table["staffed_homes"]["places"]), homes)
        self.assertEqual(int(table["ambulant"]["users"]), ambulant)
        self.assertEqual(int(table["individual_plans"]["users"]), plans)


class PageTest(StatisticsTestCase):
    def test_the_page_shows_the_table_without_names(self):
        make_persons(self.vefsn, [datetime.date(1950, 1, 1)])
        ward = Ward.objects.create(municipality=self.vefsn, code="lms", name="LMS", places=11)
        response = self.statistics(table="stays", ward=ward.pk, year=2017, format="html")
        self.assertContains(response, "Bed-days")
        self.assertNotContains(response, "Person0")

    def test_stays_need_a_ward(self):
        response = self.statistics(table="stays", year=2017, format="html")
        self.assertContains(response, "errorlist")

    def test_a_nurse_may_not_open_the_statistics(self):
        response = self.statistics(user=self.alice, table="healthy_life", year=2017)
        self.assertEqual(response.status_code, 403)

    def test_another_municipalitys_ward_is_refused_as_invalid(self):
        ward = Ward.objects.create(municipality=self.nord_aurdal, code="lms", name="NA", places=5)
        response = self.statistics(table="stays", ward=ward.pk, year=2017, format="html")
        self.assertContains(response, "errorlist")

    def test_offerings_are_untouched(self):
        self.assertFalse(Offering.objects.exists())
