"""The referral source once called "relative" is the caregiver (pårørende) of docs/glossary.md; the data moves too."""

import importlib

from django.apps import apps

from tests.referrals.base import ReferralTestCase, make_referral
from trappa.referrals.models import Referral, Source

migration = importlib.import_module("trappa.referrals.migrations.0004_referral_source_caregiver")


class SourceMigrationTest(ReferralTestCase):
    def test_a_referral_from_a_relative_becomes_a_referral_from_a_caregiver_and_back(self):
        from_relative = make_referral(self, self.olga, source=Source.GP)
        Referral.objects.filter(pk=from_relative.pk).update(source="relative")  # as stored before the rename
        from_gp = make_referral(self, self.olga, source=Source.GP)
        migration.relative_to_caregiver(apps, None)
        self.assertEqual(Referral.objects.get(pk=from_relative.pk).source, Source.CAREGIVER)
        self.assertEqual(Referral.objects.get(pk=from_gp.pk).source, Source.GP)
        migration.caregiver_to_relative(apps, None)
        self.assertEqual(Referral.objects.get(pk=from_relative.pk).source, "relative")

    def test_a_caregiver_can_be_the_source_of_a_referral(self):
        self.assertEqual(make_referral(self, self.olga, source=Source.CAREGIVER).source, "caregiver")
