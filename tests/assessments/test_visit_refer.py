"""From a home visit's suggestion to a referral in one step."""

import re
from io import StringIO

from django.core.management import call_command
from django.test import override_settings

from tests.assessments.test_visit_record import SPPB_LOW, VisitTestCase
from trappa.audit.models import CareRelationship
from trappa.referrals.models import Referral, Source


@override_settings(LANGUAGE_CODE="nb")
class ReferFromVisitTest(VisitTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("load_catalogue", "--municipality", "1824", stdout=StringIO())

    def suggestion_form(self):
        self.login(self.alice)
        response = self.post_visit(walks_indoors_without_aids="yes", feels_unsteady="yes", **SPPB_LOW)
        page = self.client.get(response["Location"]).content.decode()
        forms = re.findall(r'<form method="post" action="(/referrals/\d+/new/)".*?</form>', page, re.S)
        form = next(f for f in re.findall(r"<form.*?</form>", page, re.S) if "Sterk og stødig" in f and "/new/" in f)
        fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
        return forms[0], fields

    def test_each_suggestion_has_a_refer_button_for_the_person(self):
        action, fields = self.suggestion_form()
        self.assertEqual(action, f"/referrals/{self.olga.pk}/new/")
        self.assertEqual((fields["source"], fields["pathway"]), ("health_station", "general"))

    def test_the_button_refers_the_person_from_the_health_station_with_the_reason(self):
        action, fields = self.suggestion_form()
        response = self.client.post(action, fields)
        referral = Referral.objects.get()
        self.assertRedirects(response, f"/referrals/r/{referral.pk}/", fetch_redirect_response=False)
        self.assertEqual((referral.person, referral.source), (self.olga, Source.HEALTH_STATION))
        self.assertEqual(referral.offering.code, "sterk-og-stodig")
        self.assertIn("SPPB", referral.reason)
        self.assertTrue(CareRelationship.objects.filter(person=self.olga, source=f"referral:{referral.pk}").exists())
