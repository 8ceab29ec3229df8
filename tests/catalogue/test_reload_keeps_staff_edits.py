"""Reloading the catalogue keeps what staff changed on the staff pages, for every object, and says so (#13)."""

import io
from decimal import Decimal

from django.core.management import call_command

from tests.catalogue import test_edit_offering
from trappa.catalogue import versions
from trappa.catalogue.models import CaregiverInfo, Location, Measure, Offering, Step, Version
from trappa.test import BaseTestCase


def load(*args):
    out = io.StringIO()
    call_command("load_catalogue", "--municipality", "1824", *args, stdout=out)
    return out.getvalue()


class ReloadKeepsStaffEditsTest(BaseTestCase):
    form_data = test_edit_offering.EditOfferingTest.form_data

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("load_catalogue", stdout=io.StringIO())
        cls.sterk = Offering.objects.get(municipality=cls.vefsn, code="sterk-og-stodig")

    def staff_edit(self, obj, **fields):
        """What a staff page does: change the fields, save, record a version by the user."""
        for name, value in fields.items():
            setattr(obj, name, value)
        obj.save()
        versions.record(obj, self.unit_leader, "edited")

    def test_a_fee_changed_on_the_staff_page_survives_a_reload_and_the_difference_is_reported(self):
        self.login(self.unit_leader)
        self.client.post("/offerings/manage/offering/sterk-og-stodig/", self.form_data(self.sterk, fee="250"))
        self.sterk.refresh_from_db()
        self.assertEqual(self.sterk.fee, Decimal(250))
        out = load()
        self.sterk.refresh_from_db()
        self.assertEqual(self.sterk.fee, Decimal(250))
        self.assertIn("offering sterk-og-stodig: fee changed on the staff pages is kept", out)
        # The versions record both: the staff's, and what the file said.
        # (The file may give no fee at all: the plans state none for Sterk og stødig.)
        fees = [version.data["fee"] for version in versions.history(self.sterk)]
        self.assertIn(Decimal(250), [Decimal(fee) for fee in fees if fee is not None])
        loaded = versions.last_loaded(self.sterk).data["fee"]
        self.assertTrue(loaded is None or Decimal(loaded) != 250, loaded)

    def test_overwrite_lets_the_file_win(self):
        original = self.sterk.fee
        self.staff_edit(self.sterk, fee=Decimal(999))
        load("--overwrite")
        self.sterk.refresh_from_db()
        self.assertEqual(self.sterk.fee, original)

    def test_every_staff_editable_object_keeps_its_edits(self):
        step = Step.objects.filter(municipality=self.vefsn).first()
        location = Location.objects.filter(municipality=self.vefsn).first()
        info = CaregiverInfo.objects.get(municipality=self.vefsn)
        measure = Measure.objects.filter(revision__plan__municipality=self.vefsn).first()
        self.staff_edit(step, name_nb="Eget navn på trinnet")
        self.staff_edit(location, address="Ny adresse 1")
        self.staff_edit(info, coordinator_phone="12345678")
        self.staff_edit(measure, responsible="Enhetsleder helse")
        out = load()
        for obj, name, value in (
            (step, "name_nb", "Eget navn på trinnet"),
            (location, "address", "Ny adresse 1"),
            (info, "coordinator_phone", "12345678"),
            (measure, "responsible", "Enhetsleder helse"),
        ):
            obj.refresh_from_db()
            self.assertEqual(getattr(obj, name), value)
            self.assertIn(f"{name} changed on the staff pages is kept", out)

    def test_costs_changed_on_the_staff_page_are_kept(self):
        cost = self.sterk.costs.order_by("year").first()
        cost.wage_cost += 1000
        cost.save()
        versions.record(self.sterk, self.unit_leader, "costs")
        out = load()
        cost.refresh_from_db()
        self.assertIn("offering sterk-og-stodig: costs changed on the staff pages is kept", out)
        self.assertEqual(cost.wage_cost, self.sterk.costs.order_by("year").first().wage_cost)

    def test_a_reload_without_staff_edits_changes_nothing_and_reports_nothing(self):
        before = Version.objects.count()
        out = load()
        self.assertNotIn("kept", out)
        self.assertEqual(Version.objects.count(), before)
        self.assertEqual(Offering.objects.get(pk=self.sterk.pk).fee, self.sterk.fee)
