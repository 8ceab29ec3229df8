"""Assigning a worklist entry to a nurse moves the nurse's own care relationship with it."""

from django.urls import reverse

from trappa.audit.models import CareRelationship
from trappa.outreach.worklist import ASSIGNED_SOURCE, build

from .base import OutreachTestCase


class AssignTestCase(OutreachTestCase):
    def setUp(self):
        build(self.vefsn)
        self.login(self.alice)
        self.url = reverse("outreach:assign", args=[self.turning_80.pk])

    def assigned(self):
        return CareRelationship.objects.current().filter(person=self.turning_80, source=ASSIGNED_SOURCE)

    def test_it_assigns_a_person_to_a_nurse(self):
        response = self.client.post(self.url, {"nurse": self.bob.pk})
        self.assertRedirects(response, reverse("outreach:person", args=[self.turning_80.pk]))
        self.turning_80.worklist_entry.refresh_from_db()
        self.assertEqual(self.turning_80.worklist_entry.assigned_to, self.bob)
        self.assertEqual(list(self.assigned().values_list("user", flat=True)), [self.bob.pk])

    def test_reassigning_ends_the_first_nurses_relationship(self):
        self.client.post(self.url, {"nurse": self.bob.pk})
        self.client.post(self.url, {"nurse": self.alice.pk})
        self.assertEqual(list(self.assigned().values_list("user", flat=True)), [self.alice.pk])

    def test_unassigning_leaves_the_unit_relationship(self):
        self.client.post(self.url, {"nurse": self.bob.pk})
        self.client.post(self.url, {"nurse": ""})
        self.assertFalse(self.assigned().exists())
        self.assertTrue(CareRelationship.objects.current().filter(person=self.turning_80, unit=self.health).exists())

    def test_it_refuses_someone_who_is_not_a_nurse_of_the_unit(self):
        self.client.post(self.url, {"nurse": self.therapist.pk})
        self.assertFalse(self.assigned().exists())

    def test_it_refuses_a_nurse_of_another_municipality(self):
        self.client.post(self.url, {"nurse": self.charlie.pk})
        self.assertFalse(self.assigned().exists())
