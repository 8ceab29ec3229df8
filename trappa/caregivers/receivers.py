"""Caregiver mapping prompts follow the register: after every imported
decisions file, recipients who started a service or moved between levels of
care get their caregivers' mappings prompted at once. (The daily
`prompt_caregiver_mappings` run catches decisions entered any other way.)"""

from django.utils import timezone

from trappa.caregivers.transitions import prompt_mappings
from trappa.people.models import ImportKind


def prompt_after_import(sender, batch, **kwargs):
    if batch.kind == ImportKind.DECISIONS:
        prompt_mappings(batch.municipality, timezone.localdate())
