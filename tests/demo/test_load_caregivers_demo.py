import datetime
import io

from django.core.management import call_command
from django.core.management.base import CommandError

from tests.caregivers.base import make_caregiver
from trappa.caregivers.models import Agreement, CaregiverLink, Mapping
from trappa.people.models import ServiceDecision, ServiceKind
from trappa.respite.models import Bed, PlanVersion
from trappa.test import BaseTestCase


class LoadDemoTests(BaseTestCase):
    def test_it_loads_caregivers_mappings_agreements_and_a_respite_plan_once(self):
        make_caregiver(self, self.olga)
        ServiceDecision.objects.create(
            person=self.olga, decision_id="R-1", service=ServiceKind.ROTATION_STAY, start_date=datetime.date(2026, 1, 1)
        )
        call_command("load_caregivers_demo", "--municipality", "1824", stdout=io.StringIO())
        self.assertEqual(Bed.objects.count(), 6)
        plan = PlanVersion.objects.get()
        self.assertTrue(plan.stays.filter(decision__person=self.olga, bed__isnull=False).exists())
        self.assertEqual(CaregiverLink.objects.count(), 1)
        self.assertTrue(Mapping.objects.exists() and Agreement.objects.exists())
        with self.assertRaisesMessage(CommandError, "loaded once"):
            call_command("load_caregivers_demo", "--municipality", "1824")
