import datetime
import io
import os
import shutil
import tempfile

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.caregivers.base import make_link
from trappa.caregivers.models import Mapping, MappingPrompt, MappingReason
from trappa.caregivers.transitions import prompt_mappings
from trappa.people.models import ServiceDecision, ServiceKind
from trappa.test import BaseTestCase

TODAY = datetime.date(2026, 11, 23)


class PromptMappingTests(BaseTestCase):
    def setUp(self):
        self.link = make_link(self, self.olga)

    def decide(self, service, start):
        return ServiceDecision.objects.create(
            person=self.olga, decision_id=f"{service}-{start}", service=service, start_date=start
        )

    def test_it_prompts_a_mapping_when_the_recipient_starts_a_service(self):
        decision = self.decide(ServiceKind.HOME_NURSING, TODAY - datetime.timedelta(days=3))
        self.assertEqual(prompt_mappings(self.vefsn, TODAY), 1)
        prompt = MappingPrompt.objects.get()
        self.assertEqual(
            (prompt.reason, prompt.service_decision, prompt.due),
            (MappingReason.SERVICE_START, decision, decision.start_date + datetime.timedelta(days=30)),
        )

    def test_it_prompts_at_each_move_between_levels_and_only_once(self):
        self.decide(ServiceKind.HOME_NURSING, datetime.date(2025, 1, 1))
        self.decide(ServiceKind.SHORT_TERM_STAY, TODAY - datetime.timedelta(days=20))
        self.decide(ServiceKind.LONG_TERM_INSTITUTION, TODAY - datetime.timedelta(days=2))
        self.assertEqual(prompt_mappings(self.vefsn, TODAY), 2)
        self.assertEqual(prompt_mappings(self.vefsn, TODAY), 0)
        self.assertEqual(set(MappingPrompt.objects.values_list("reason", flat=True)), {MappingReason.TRANSITION})

    def test_it_does_not_prompt_for_more_of_the_same_level_or_no_level(self):
        self.decide(ServiceKind.HOME_NURSING, datetime.date(2025, 1, 1))
        self.decide(ServiceKind.PRACTICAL_HELP, TODAY - datetime.timedelta(days=5))
        self.decide(ServiceKind.SAFETY_ALARM, TODAY - datetime.timedelta(days=5))
        self.assertEqual(prompt_mappings(self.vefsn, TODAY), 0)

    def test_it_does_not_prompt_when_the_caregiver_was_mapped_after_the_change(self):
        self.decide(ServiceKind.HOME_NURSING, TODAY - datetime.timedelta(days=10))
        Mapping.objects.create(link=self.link, situation="Mapped at the start", done_at=timezone.now())
        self.assertEqual(prompt_mappings(self.vefsn, TODAY), 0)

    def test_the_command_names_an_unknown_municipality(self):
        with self.assertRaisesMessage(CommandError, "No municipality with number 9999"):
            call_command("prompt_caregiver_mappings", "--municipality", "9999")


class PromptAfterImportTests(BaseTestCase):
    def test_importing_a_decision_prompts_the_caregivers_mapping_at_once(self):
        make_link(self, self.olga)
        start = timezone.localdate() - datetime.timedelta(days=2)
        path = self.decisions_file(f"{self.olga.national_id},v9,rotation_stay,{start}")
        call_command("import_decisions", path, "--municipality", "1824", stdout=io.StringIO())
        prompt = MappingPrompt.objects.get()
        self.assertEqual((prompt.reason, prompt.service_decision.decision_id), (MappingReason.SERVICE_START, "v9"))

    def test_a_dry_run_prompts_nothing(self):
        make_link(self, self.olga)
        start = timezone.localdate() - datetime.timedelta(days=2)
        path = self.decisions_file(f"{self.olga.national_id},v9,rotation_stay,{start}")
        call_command("import_decisions", path, "--municipality", "1824", "--dry-run", stdout=io.StringIO())
        self.assertFalse(MappingPrompt.objects.exists())

    def decisions_file(self, row):
        text = f"national_id,decision_id,service,start_date\n{row}\n"
        folder = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, folder)
        path = os.path.join(folder, "decisions.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path
