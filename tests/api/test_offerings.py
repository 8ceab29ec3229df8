from tests.api.support import ApiTestCase
from trappa.catalogue.models import Offering


class OfferingTests(ApiTestCase):
    def test_published_offerings_and_capacity_are_public(self):
        response = self.client.get(f"/api/offerings/{self.vefsn.slug}/")
        self.assertEqual(response.status_code, 200)
        published = Offering.objects.published().filter(municipality=self.vefsn).count()
        self.assertEqual(len(response.json()), published)

    def test_an_unknown_municipality_is_a_404(self):
        self.assertEqual(self.client.get("/api/offerings/nowhere/").status_code, 404)
