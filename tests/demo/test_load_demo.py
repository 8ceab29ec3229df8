"""load_demo: the demo municipality, its users, its synthetic people and worklists."""

import io

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings
from django.urls import reverse
from pypdf import PdfReader

from trappa.accounts.models import Municipality, Role, Unit, User
from trappa.audit.models import CareRelationship
from trappa.letters.kinds import KINDS
from trappa.lib import national_id
from trappa.people.models import Person, PersonRelation, ServiceDecision

PASSWORD = "a demo password that is long"
# Password hashing is the slow part of creating users; nobody logs in with a
# password here; check_password works with any hasher.
DEMO = override_settings(
    DEMO=True, ALLOW_SYNTHETIC_NATIONAL_IDS=True, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
)


def load_demo(residents=1500):
    out = io.StringIO()
    call_command(
        "load_demo", "--residents", str(residents), "--residents-nord-aurdal", "300", "--password", PASSWORD, stdout=out
    )
    return out.getvalue()


@DEMO
class LoadDemoTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = load_demo()

    def test_it_creates_one_user_per_role_in_vefsn(self):
        users = User.objects.filter(municipality__number="1824")
        self.assertEqual(sorted(u.role for u in users), sorted(Role.values))
        self.assertEqual({u.municipality.number for u in users}, {"1824"})
        nurse = User.objects.get(role=Role.NURSE, municipality__number="1824")
        self.assertEqual((nurse.unit.code, nurse.department.code), ("helsetjenesten", "helsestasjon-eldre"))
        self.assertIsNone(User.objects.get(role=Role.PLANNER, municipality__number="1824").unit)

    def test_its_users_log_in_with_the_printed_password(self):
        self.assertIn(PASSWORD, self.output)
        self.assertTrue(User.objects.get(username="nurse").check_password(PASSWORD))

    def test_it_prints_the_url_and_every_login(self):
        self.assertIn("http://127.0.0.1:8000", self.output)
        for user in User.objects.all():
            self.assertIn(user.username, self.output)

    def test_it_creates_both_municipalities_and_the_units(self):
        vefsn, nord_aurdal = Municipality.objects.get(number="1824"), Municipality.objects.get(number="3451")
        self.assertEqual(nord_aurdal.written_standard, "nn")
        codes = set(Unit.objects.filter(municipality=vefsn).values_list("code", flat=True))
        self.assertEqual(
            codes,
            {
                "helsetjenesten",
                "hjemmetjenesten",
                "sykehjemstjenesten",
                "miljoterapitjenesten",
                "tjenestekontoret",
                "folkehelse",
                "fysio-ergo",
            },
        )
        self.assertTrue(Unit.objects.filter(municipality=nord_aurdal, code="omsorg-rehabilitering").exists())

    def test_it_imports_a_synthetic_population_with_services_and_relations(self):
        residents = Person.objects.filter(municipality_number="1824").active()
        self.assertEqual(residents.count(), 1500)
        self.assertTrue(ServiceDecision.objects.exists())
        self.assertTrue(PersonRelation.objects.filter(kind="caregiver").exists())
        # Nord-Aurdal has its own residents and users, on par with Vefsn (#16).
        self.assertEqual(Person.objects.filter(municipality_number="3451").active().count(), 300)
        self.assertEqual(User.objects.filter(municipality__number="3451").count(), 3)
        sample = Person.objects.order_by("id")[:50]
        self.assertTrue(all(national_id.parse(p.national_id, allow_synthetic=True).is_synthetic for p in sample))

    def test_it_leaves_the_health_stations_worklist_to_outreach(self):
        nurse = User.objects.get(role=Role.NURSE, municipality__number="1824")
        self.assertFalse(CareRelationship.objects.for_user(nurse).exists())

    def test_it_puts_each_person_on_a_units_worklist_once_and_only_living_residents(self):
        relationships = CareRelationship.objects.all()
        pairs = [(r.person_id, r.unit_id) for r in relationships]
        self.assertEqual(len(pairs), len(set(pairs)))
        self.assertFalse(relationships.exclude(person__municipality_number="1824").exists())

    def test_it_refuses_to_load_twice_and_changes_nothing(self):
        users, persons = User.objects.count(), Person.objects.count()
        with self.assertRaisesMessage(CommandError, "already loaded"):
            load_demo()
        self.assertEqual((User.objects.count(), Person.objects.count()), (users, persons))


class LoadDemoRefusalTest(TestCase):
    @override_settings(DEMO=False)
    def test_it_refuses_to_run_outside_the_demo(self):
        with self.assertRaisesMessage(CommandError, "TRAPPA_DEMO=true"):
            load_demo()
        self.assertFalse(User.objects.exists())

    @DEMO
    def test_it_rejects_a_weak_password_before_writing_anything(self):
        with self.assertRaises(CommandError):
            call_command("load_demo", "--residents", "10", "--password", "demo", stdout=io.StringIO())
        self.assertFalse(Municipality.objects.exists())

    @DEMO
    def test_it_loads_after_load_catalogue_made_the_municipality(self):
        Municipality.objects.create(number="1824", name="Vefsn", slug="vefsn")
        load_demo(residents=200)
        self.assertEqual(Municipality.objects.filter(number="1824").count(), 1)
        self.assertEqual(User.objects.filter(municipality__number="1824").count(), len(Role.values))


@DEMO
@override_settings(REQUIRE_TWO_FACTOR=False)
class DemoLettersTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo(residents=200)

    def test_the_unit_leader_sees_a_letter_of_each_kind_in_bokmal_and_nynorsk(self):
        self.client.force_login(User.objects.get(username="unit_leader"))
        index = self.client.get(reverse("letters:index"))
        for name in KINDS:
            for language in ("nb", "nn"):
                url = reverse("letters:preview", args=[name, language])
                self.assertContains(index, url)
                response = self.client.get(url)
                self.assertEqual(response["Content-Type"], "application/pdf", f"{name} {language}")
                reader = PdfReader(io.BytesIO(response.content))
                self.assertEqual(reader.trailer["/Root"]["/Lang"], language)
                text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
                self.assertIn("75 10 10 00", text)
                self.assertIn("Personvernombudet i Vefsn", text)
