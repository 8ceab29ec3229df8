"""The base test case: two municipalities, their units, and named people.

Alice is a nurse at Vefsn's health station for older adults; Olga is on her
worklist. Bob is a nurse in the same unit as Alice, so he sees Olga through
the unit; Per lives in Vefsn but has no care relationship with anyone, so no
ordinary user may see him. Charlie is a nurse in Nord-Aurdal and must see
nothing of Vefsn's people. There is one user for every other role in Vefsn.
"""

import datetime
import shutil
import tempfile
from pathlib import Path

from django.test import TestCase, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from trappa.accounts.models import Department, Municipality, Role, Unit, User
from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.people.models import MaritalStatus, Person, Sex

# Synthetic national IDs (Tenor style, month + 80) with valid check digits.
OLGA_ID = "13884100008"  # born 1941-08-13, female
PER_ID = "05894801168"  # born 1948-09-05, male


class BaseTestCase(TestCase):
    password = "correct horse battery staple"

    @classmethod
    def setUpTestData(cls):
        cls.vefsn = Municipality.objects.create(number="1824", name="Vefsn", slug="vefsn")
        cls.nord_aurdal = Municipality.objects.create(
            number="3451", name="Nord-Aurdal", slug="nord-aurdal", written_standard="nn"
        )
        # Units with a phone number: a unit without one cannot send letters (trappa/letters).
        cls.health = Unit.objects.create(
            municipality=cls.vefsn,
            code="helsetjenesten",
            name="Helsetjenesten",
            phone="75 10 10 10",
            email="helse@vefsn.kommune.no",
            street_address="Kirkegata 1",
            postal_code="8656",
            postal_place="Mosjøen",
            opening_hours="Mandag–fredag 08–15",
            contact_person="Helga Helsesøster",
        )
        cls.health_station = Department.objects.create(
            unit=cls.health, code="helsestasjon-eldre", name="Helsestasjon for eldre"
        )
        cls.service_office = Unit.objects.create(
            municipality=cls.vefsn, code="tjenestekontoret", name="Tjenestekontoret", phone="75 10 10 20"
        )
        cls.physio = Unit.objects.create(
            municipality=cls.vefsn, code="fysio-ergo", name="Fysio- og ergoterapitjenesten", phone="75 10 10 30"
        )
        cls.na_health = Unit.objects.create(
            municipality=cls.nord_aurdal, code="helse", name="Helse og omsorg", phone="61 36 40 00"
        )

        cls.alice = cls.make_user("alice", Role.NURSE, cls.health, cls.health_station)
        cls.bob = cls.make_user("bob", Role.NURSE, cls.health, cls.health_station)
        cls.charlie = cls.make_user("charlie", Role.NURSE, cls.na_health, municipality=cls.nord_aurdal)
        cls.therapist = cls.make_user("terje", Role.THERAPIST, cls.physio)
        cls.course_leader = cls.make_user("kari", Role.COURSE_LEADER, cls.health)
        cls.caseworker = cls.make_user("siri", Role.CASEWORKER, cls.service_office)
        cls.coordinator = cls.make_user("cora", Role.CAREGIVER_COORDINATOR, cls.service_office)
        cls.unit_leader = cls.make_user("ulla", Role.UNIT_LEADER, cls.health)
        cls.planner = cls.make_user("petter", Role.PLANNER, None)
        cls.administrator = cls.make_user("ada", Role.ADMINISTRATOR, None)

        cls.olga = cls.make_person(
            OLGA_ID,
            "Olga",
            "Nordmann",
            datetime.date(1941, 8, 13),
            Sex.FEMALE,
            marital_status=MaritalStatus.WIDOWED,
            marital_status_date=datetime.date(2026, 3, 1),
            living_alone=True,
            area="Elsfjord",
        )
        cls.per = cls.make_person(PER_ID, "Per", "Utenfor", datetime.date(1948, 9, 5), Sex.MALE)
        CareRelationship.objects.create(
            person=cls.olga, user=cls.alice, kind=CareRelationshipKind.WORKLIST, source="test"
        )
        CareRelationship.objects.create(
            person=cls.olga, unit=cls.health, kind=CareRelationshipKind.WORKLIST, source="test"
        )

    @classmethod
    def make_user(cls, username, role, unit, department=None, municipality=None):
        user = User.objects.create_user(
            username=username,
            password=cls.password,
            first_name=username.capitalize(),
            role=role,
            unit=unit,
            department=department,
            municipality=municipality or cls.vefsn,
        )
        return user

    @classmethod
    def make_person(cls, national_id, given, family, birth_date, sex, municipality=None, **fields):
        municipality = municipality or cls.vefsn
        return Person.objects.create(
            municipality=municipality,
            national_id=national_id,
            given_name=given,
            family_name=family,
            birth_date=birth_date,
            sex=sex,
            municipality_number=municipality.number,
            **fields,
        )

    def login(self, user):
        """Log in with a verified second factor, as after a real TOTP login."""
        self.client.force_login(user)
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        session = self.client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    def use_temporary_upload_dir(self):
        """Uploaded files go to a folder of this test's own (UPLOAD_DIR), removed afterwards: the folder."""
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        uploads = override_settings(UPLOAD_DIR=folder / "uploads")
        uploads.enable()
        self.addCleanup(uploads.disable)
        return folder / "uploads"
