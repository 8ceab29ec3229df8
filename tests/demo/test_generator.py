"""The synthetic population generator and its command, through the files it writes."""

import csv
import datetime
import io
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase, override_settings

from trappa.accounts.models import Unit
from trappa.demo import generator
from trappa.lib import national_id
from trappa.people.models import Person, PersonRelation, ServiceDecision
from trappa.test import BaseTestCase

AS_OF = datetime.date(2026, 11, 23)
VEFSN_SIZE = 13_400


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


def documented_columns(section):
    """The column names of one file's table in docs/register-format.md."""
    text = (Path(settings.BASE_DIR) / "docs" / "register-format.md").read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", body, flags=re.MULTILINE)


def age_on(day, birth):
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


class GeneratedFilesMixin:
    """Generate once per class into a temporary folder, through the command."""

    residents = VEFSN_SIZE
    seed = 7

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = Path(tempfile.mkdtemp())
        cls.generate_into(cls.tmp, cls.seed)
        _, cls.persons = read_csv(cls.tmp / "persons.csv")
        _, cls.decisions = read_csv(cls.tmp / "decisions.csv")
        _, cls.relations = read_csv(cls.tmp / "relations.csv")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)
        super().tearDownClass()

    @classmethod
    def generate_into(cls, folder, seed, residents=None):
        call_command(
            "generate_population",
            "--residents",
            str(residents or cls.residents),
            "--seed",
            str(seed),
            "--municipality",
            "1824",
            "--as-of",
            AS_OF.isoformat(),
            "--out",
            str(folder),
            stdout=io.StringIO(),
        )

    def residents_now(self):
        return [
            p
            for p in self.persons
            if p["municipality_number"] == "1824" and not p["date_of_death"] and not p["date_moved_out"]
        ]


class GeneratorFilesTest(GeneratedFilesMixin, SimpleTestCase):
    def test_it_writes_byte_identical_files_for_the_same_seed(self):
        again = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, again)
        self.generate_into(again, self.seed)
        for name in ("persons.csv", "decisions.csv", "relations.csv"):
            self.assertEqual((self.tmp / name).read_bytes(), (again / name).read_bytes(), name)

    def test_it_writes_different_files_for_another_seed(self):
        other = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, other)
        self.generate_into(other, self.seed + 1)
        self.assertNotEqual((self.tmp / "persons.csv").read_bytes(), (other / "persons.csv").read_bytes())

    def test_it_writes_the_requested_number_of_living_residents(self):
        self.assertEqual(len(self.residents_now()), VEFSN_SIZE)

    def test_its_age_structure_matches_the_target_distribution(self):
        ages = [age_on(AS_OF, datetime.date.fromisoformat(p["birth_date"])) for p in self.residents_now()]
        for min_age, tolerance in ((67, 0.012), (80, 0.007), (90, 0.003)):
            share = sum(a >= min_age for a in ages) / len(ages)
            self.assertAlmostEqual(share, generator.target_share(min_age), delta=tolerance, msg=f"{min_age}+")

    def test_its_target_is_older_than_norway_as_a_rural_municipality_is(self):
        # Norway, 1 January 2024: about 17.5 % are 67 or older and 4.6 % 80 or older.
        self.assertGreater(generator.target_share(67), 0.20)
        self.assertGreater(generator.target_share(80), 0.055)
        self.assertLess(generator.target_share(90), generator.target_share(80) / 3)

    def test_every_national_id_is_a_valid_unique_synthetic_number_agreeing_with_the_row(self):
        ids = [p["national_id"] for p in self.persons]
        self.assertEqual(len(ids), len(set(ids)))
        for person in self.persons:
            parsed = national_id.parse(person["national_id"], allow_synthetic=True)
            self.assertTrue(parsed.is_synthetic)
            self.assertEqual(parsed.birth_date.isoformat(), person["birth_date"])
            self.assertEqual(parsed.sex, person["sex"])

    def test_its_bulk_numbers_are_the_ones_make_synthetic_gives(self):
        # The n-th person of a birth date and sex has make_synthetic's n-th number.
        groups = {}
        for person in self.persons:
            groups.setdefault((person["birth_date"], person["sex"]), []).append(person["national_id"])
        for (day, sex), numbers in list(groups.items())[:300]:
            expected = [
                national_id.make_synthetic(datetime.date.fromisoformat(day), sex, n) for n in range(len(numbers))
            ]
            self.assertEqual(sorted(expected), sorted(numbers))
        self.assertGreater(max(len(numbers) for numbers in groups.values()), 1)

    def test_its_headers_are_the_documented_columns(self):
        for name, section in (
            ("persons.csv", "persons"),
            ("decisions.csv", "decisions"),
            ("relations.csv", "relations"),
        ):
            header, _ = read_csv(self.tmp / name)
            self.assertEqual(header, documented_columns(section), name)

    def test_some_caregivers_live_in_other_municipalities(self):
        where = {p["national_id"]: p["municipality_number"] for p in self.persons}
        caregivers = [r["national_id"] for r in self.relations if r["relation"] == "caregiver"]
        elsewhere = [c for c in caregivers if where[c] != "1824"]
        self.assertGreater(len(elsewhere), len(caregivers) * 0.15)
        self.assertGreater(len({where[c] for c in elsewhere}), 1)

    def test_each_cared_for_person_has_one_nearest_relative(self):
        nearest = Counter(
            r["related_national_id"]
            for r in self.relations
            if r["relation"] == "caregiver" and r["nearest_relative"] == "true"
        )
        self.assertGreater(len(nearest), 500)
        self.assertEqual(max(nearest.values()), 1)

    def test_some_were_widowed_within_the_last_twelve_months(self):
        year_ago = (AS_OF - datetime.timedelta(days=365)).isoformat()
        recent = [
            p
            for p in self.residents_now()
            if p["marital_status"] == "enkeEllerEnkemann" and p["marital_status_date"] >= year_ago
        ]
        self.assertGreater(len(recent), 20)

    def test_many_older_widows_live_alone(self):
        widows = [
            p
            for p in self.residents_now()
            if p["marital_status"] == "enkeEllerEnkemann"
            and p["sex"] == "F"
            and age_on(AS_OF, datetime.date.fromisoformat(p["birth_date"])) >= 80
        ]
        alone = [w for w in widows if w["living_alone"] == "true"]
        self.assertGreater(len(alone), len(widows) * 0.7)

    def test_some_of_the_oldest_died_and_some_moved_out_recently(self):
        two_years_ago = (AS_OF - datetime.timedelta(days=731)).isoformat()
        dead = [p for p in self.persons if p["date_of_death"]]
        moved = [p for p in self.persons if p["date_moved_out"]]
        self.assertGreater(len(dead), VEFSN_SIZE * 0.01)
        self.assertGreater(len(moved), VEFSN_SIZE * 0.01)
        self.assertTrue(all(two_years_ago <= p["date_of_death"] <= AS_OF.isoformat() for p in dead))
        median_age_at_death = sorted(age_on(AS_OF, datetime.date.fromisoformat(p["birth_date"])) for p in dead)
        self.assertGreater(median_age_at_death[len(dead) // 2], 75)

    def test_services_rise_steeply_after_eighty(self):
        age = {p["national_id"]: age_on(AS_OF, datetime.date.fromisoformat(p["birth_date"])) for p in self.persons}
        running = {d["national_id"] for d in self.decisions if not d["end_date"] or d["end_date"] > AS_OF.isoformat()}
        living = self.residents_now()

        def share(low, high):
            group = [p["national_id"] for p in living if low <= age[p["national_id"]] <= high]
            return sum(i in running for i in group) / len(group)

        self.assertGreater(share(80, 120), 3 * share(67, 79))
        self.assertGreater(share(67, 79), 3 * share(18, 66))

    def test_a_long_term_resident_gets_no_home_services_at_the_same_time(self):
        running = [d for d in self.decisions if not d["end_date"]]
        institution = {d["national_id"] for d in running if d["service"] == "long_term_institution"}
        home = {d["national_id"] for d in running if d["service"] in ("home_nursing", "practical_help")}
        self.assertTrue(institution)
        self.assertFalse(institution & home)

    def test_a_few_need_an_interpreter_and_some_write_nynorsk(self):
        interpreter = [p for p in self.persons if p["interpreter_needed"] == "true"]
        self.assertTrue(0.002 < len(interpreter) / len(self.persons) < 0.05)
        self.assertTrue(all(p["language"] for p in interpreter))
        self.assertIn("nn", {p["written_standard"] for p in self.persons})

    def test_residents_live_in_the_municipalitys_areas(self):
        areas = Counter(p["area"] for p in self.residents_now())
        self.assertIn("Elsfjord", areas)
        self.assertEqual(areas.most_common(1)[0][0], "Mosjøen sentrum")
        self.assertTrue(all(re.fullmatch(r"\d{4}", p["postal_code"]) for p in self.residents_now()))


class GeneratorCommandTest(SimpleTestCase):
    def tmp_dir(self):
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        return folder

    def run_command(self, *args):
        call_command("generate_population", *args, "--out", str(self.tmp_dir()), stdout=io.StringIO())

    def test_it_rejects_an_unknown_municipality_clearly(self):
        with self.assertRaisesMessage(CommandError, "no area data for municipality 9999"):
            self.run_command("--municipality", "9999")

    def test_it_rejects_zero_residents(self):
        with self.assertRaisesMessage(CommandError, "must be between 1"):
            self.run_command("--residents", "0")

    def test_it_rejects_a_negative_seed(self):
        with self.assertRaisesMessage(CommandError, "the seed must be a whole number"):
            self.run_command("--seed", "-1")

    def test_it_rejects_a_bad_date(self):
        with self.assertRaisesMessage(CommandError, "--as-of must be a date"):
            self.run_command("--as-of", "2026-02-30")

    def test_it_generates_even_a_handful_of_residents(self):
        for residents in (1, 2, 5):
            population = generator.generate(residents, seed=residents, as_of=AS_OF)
            self.assertEqual(population.counts["residents"], residents)
            self.assertTrue(population.write(self.tmp_dir())["decisions"].is_file())

    def test_it_generates_a_nynorsk_municipality_on_a_leap_day(self):
        population = generator.generate(400, seed=1, municipality="3451", as_of=datetime.date(2024, 2, 29))
        self.assertIn("Fagernes", set(population.persons["area"]))
        self.assertEqual(population.counts["residents"], 400)


# The base case's users get Argon2 hashes, slow to make; nobody logs in here.
@override_settings(
    ALLOW_SYNTHETIC_NATIONAL_IDS=True, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
)
class GeneratedFilesImportTest(GeneratedFilesMixin, BaseTestCase):
    residents = 600
    seed = 3

    def test_the_generated_files_import_without_errors(self):
        for code in set(generator.service_units("1824").values()):
            Unit.objects.get_or_create(municipality=self.vefsn, code=code, defaults={"name": code})
        before = Person.objects.count()
        for command, name in (
            ("import_persons", "persons.csv"),
            ("import_decisions", "decisions.csv"),
            ("import_relations", "relations.csv"),
        ):
            call_command(command, str(self.tmp / name), "--municipality", "1824", stdout=io.StringIO())
        self.assertEqual(Person.objects.count() - before, len(self.persons))
        self.assertEqual(ServiceDecision.objects.count(), len(self.decisions))
        self.assertEqual(PersonRelation.objects.count(), len(self.relations))
        self.assertTrue(Person.objects.exclude(municipality_number="1824").filter(date_moved_out=None).exists())


class BorrowedAreasTest(SimpleTestCase):
    """A municipality the data files do not describe, generated with a known one's areas (areas_of)."""

    def test_its_rows_carry_its_own_number_and_the_borrowed_areas(self):
        population = generator.generate(300, seed=3, municipality="1151", as_of=AS_OF, areas_of="0301")
        numbers = population.persons["municipality_number"]
        self.assertGreaterEqual(int((numbers == "1151").sum()), 300)
        self.assertIn("Gamle Oslo", set(population.persons["area"]))
        self.assertEqual(population.counts["residents"], 300)

    def test_elsewhere_is_never_the_municipality_itself(self):
        # Oslo's neighbours include Bærum (3201): generated as Bærum, nobody moves out to Bærum.
        population = generator.generate(2000, seed=4, municipality="3201", as_of=AS_OF, areas_of="0301")
        persons = population.persons
        moved = persons["date_moved_out"] != ""
        self.assertTrue(moved.any())
        self.assertNotIn("3201", set(persons["municipality_number"][moved]))

    def test_a_known_municipality_is_unchanged_by_borrowing_its_own_areas(self):
        own = generator.generate(200, seed=5, municipality="1824", as_of=AS_OF)
        borrowed = generator.generate(200, seed=5, municipality="1824", as_of=AS_OF, areas_of="1824")
        for column in generator.PERSON_COLUMNS:
            self.assertEqual(own.persons[column].tolist(), borrowed.persons[column].tolist())

    def test_it_rejects_a_municipality_number_that_is_not_four_digits(self):
        with self.assertRaisesMessage(generator.GeneratorError, "four digits"):
            generator.generate(10, municipality="151", as_of=AS_OF, areas_of="0301")


class SmallPopulationCouplesTest(SimpleTestCase):
    """In a small population couples are paired across wider age gaps: their shared wedding date must still
    fall after both spouses were born (the generator's last check refused such draws, so the national
    benchmark had to take another seed for some of the smallest municipalities)."""

    def test_every_couples_wedding_date_is_after_both_births_at_every_seed(self):
        for residents in (5, 20, 60):
            for seed in range(60):
                with self.subTest(residents=residents, seed=seed):
                    population = generator.generate(residents, seed=seed, municipality="1824", as_of=AS_OF)
                    persons, relations = population.persons, population.relations
                    row = {number: i for i, number in enumerate(persons["national_id"].tolist())}
                    spouses = relations["relation"] == "spouse"
                    for a, b in zip(
                        relations["national_id"][spouses], relations["related_national_id"][spouses], strict=True
                    ):
                        wed = persons["marital_status_date"][row[a]]
                        self.assertEqual(wed, persons["marital_status_date"][row[b]])
                        self.assertGreater(wed, max(persons["birth_date"][row[a]], persons["birth_date"][row[b]]))
