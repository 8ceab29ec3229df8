"""Prompt a caregiver mapping when the recipient starts a service or moves between levels of care.

Detected from ServiceDecision rows, not per saved row: the register import writes decisions in
bulk. It runs after every imported decisions file (receivers.py, on the people register's
`register_imported` signal) and daily (`manage.py prompt_caregiver_mappings`), which also catches
decisions entered any other way. Running it twice prompts nothing twice (one prompt per caregiver
and decision).
"""

import datetime

from trappa.caregivers.models import CaregiverLink, MappingPrompt, MappingReason
from trappa.people.models import ServiceDecision, ServiceKind

HOME, SHORT_STAY, LONG_STAY = 1, 2, 3
# The levels of care; services missing here (safety alarm, transport card) are no level of care.
LEVELS = {
    ServiceKind.PRACTICAL_HELP: HOME,
    ServiceKind.HOME_NURSING: HOME,
    ServiceKind.DAY_CARE: HOME,
    ServiceKind.SHORT_TERM_STAY: SHORT_STAY,
    ServiceKind.ROTATION_STAY: SHORT_STAY,
    ServiceKind.LONG_TERM_INSTITUTION: LONG_STAY,
}
LOOKBACK_DAYS = 60  # decisions that started this recently are checked


def reason_for(decision, earlier):
    """Why this decision prompts a mapping (a MappingReason), or None. `earlier`: the person's earlier decisions."""
    level = LEVELS.get(decision.service)
    if level is None:
        return None
    before = [d for d in earlier if LEVELS.get(d.service) and d.start_date < decision.start_date]
    if not before:
        return MappingReason.SERVICE_START
    latest = max(before, key=lambda d: (d.start_date, d.pk))
    return MappingReason.TRANSITION if LEVELS[latest.service] != level else None


def prompt_mappings(municipality, today):
    """Create the prompts due for decisions that started in the last LOOKBACK_DAYS; returns how many."""
    since = today - datetime.timedelta(days=LOOKBACK_DAYS)
    recent = ServiceDecision.objects.filter(person__municipality=municipality, start_date__range=(since, today))
    person_ids = set(recent.values_list("person_id", flat=True))
    links = {}
    for link in CaregiverLink.objects.filter(recipient_id__in=person_ids):
        links.setdefault(link.recipient_id, []).append(link)
    decisions = {}
    for decision in ServiceDecision.objects.filter(person_id__in=links):
        decisions.setdefault(decision.person_id, []).append(decision)
    created = 0
    for person_id, own in decisions.items():
        for decision in own:
            if since <= decision.start_date <= today:
                created += _prompt(links[person_id], decision, reason_for(decision, own))
    return created


def _prompt(links, decision, reason):
    if reason is None:
        return 0
    created = 0
    for link in links:
        if _mapped_since(link, decision.start_date):
            continue  # a mapping made after the change already answers it
        _, new = MappingPrompt.objects.get_or_create(
            link=link,
            service_decision=decision,
            defaults={"reason": reason, "due": MappingPrompt.due_after(decision.start_date)},
        )
        created += new
    return created


def _mapped_since(link, day):
    return link.mappings.filter(done_at__date__gte=day).exists()
