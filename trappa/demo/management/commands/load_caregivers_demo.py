"""Demo respite beds, rotation-stay decisions and a plan, and followed-up caregivers with mappings and agreements.

Run after load_demo: it uses its users, its rotation-stay decisions and its caregiver relations.
Vefsn's beds as in seed 002: three at Solina (somatic) and three at Miljøtunet (dementia). The
register grants more rotation stays than there are beds, so the plan has weeks over.
"""

import datetime
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from trappa.accounts.models import Department, Municipality, Role, User
from trappa.caregivers import services as caregivers
from trappa.caregivers.models import (
    AdvanceCareNote,
    CaregiverContact,
    CaregiverLink,
    Consent,
    ConsentTopic,
    InformationDirection,
    InformationEntry,
)
from trappa.caregivers.transitions import LOOKBACK_DAYS, prompt_mappings
from trappa.people.models import PersonRelation, RelationKind, ServiceDecision, ServiceKind
from trappa.respite import services as respite
from trappa.respite.models import Bed, RespiteDecision, RespiteUnit

UNITS = (("solina", "Solina", "somatic"), ("miljotunet", "Miljøtunet", "dementia"))
PATTERNS = ((2, 2), (3, 2), (4, 2), (4, 1), (6, 1))  # (weeks home, weeks in), seed 002
CAREGIVERS = 12


class Command(BaseCommand):
    help = "Load demo respite beds, decisions and plan, and caregivers with mappings and agreements (after load_demo)."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", default="1824", help="municipality number (default: 1824, Vefsn)")

    def handle(self, *args, **options):
        municipality = Municipality.objects.filter(number=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality {options['municipality']}: run load_demo first.")
        coordinator = User.objects.filter(municipality=municipality, role=Role.CAREGIVER_COORDINATOR).first()
        if coordinator is None:
            raise CommandError("The municipality has no caregiver coordinator: run load_demo first.")
        if CaregiverLink.objects.filter(recipient__municipality=municipality).exists():
            raise CommandError("This municipality already has caregivers followed up: the demo is loaded once.")
        rng = random.Random(1824)
        with transaction.atomic():
            self._beds(municipality)
            decisions = self._decisions(municipality, coordinator, rng)
            links = self._caregivers(municipality, coordinator, rng)
            self._contacts(municipality)
            prompts = prompt_mappings(municipality, timezone.localdate())
        plan = respite.make_plan(municipality, user=coordinator)  # its own transaction, after the data
        self.stdout.write(
            f"{decisions} rotation-stay decisions, plan {plan.pk} ({plan.status}, "
            f"{len(plan.overbooked)} group-weeks over); {links} caregivers, {prompts} mapping prompts."
        )

    def _beds(self, municipality):
        for code, name, group in UNITS:
            unit, _ = RespiteUnit.objects.get_or_create(municipality=municipality, code=code, defaults={"name": name})
            for number in (1, 2, 3):
                Bed.objects.get_or_create(unit=unit, label=f"Rom {number}", defaults={"group": group})

    def _decisions(self, municipality, user, rng):
        today = timezone.localdate()
        monday = respite.next_monday(today)
        # Only the active decisions' ids, in one query, and the new ones in batches: they grow with the register.
        rotation = ServiceDecision.objects.filter(person__municipality=municipality, service=ServiceKind.ROTATION_STAY)
        rotation = rotation.filter(Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today)
        rotation = list(rotation.order_by("pk").values_list("pk", "person_id"))
        rows = []
        for index, (decision_id, person_id) in enumerate(rotation):
            home, stay = PATTERNS[index % len(PATTERNS)]
            first = monday + datetime.timedelta(weeks=rng.randrange(home + stay))
            rows.append(
                RespiteDecision(
                    person_id=person_id,
                    service_decision_id=decision_id,
                    group="dementia" if index % 3 == 0 else "somatic",
                    home_weeks=home,
                    stay_weeks=stay,
                    first_stay=first,
                    valid_from=monday,
                    valid_until=RespiteDecision.default_until(monday),
                    created_by=user,
                )
            )
        RespiteDecision.objects.bulk_create(rows, batch_size=1000)
        return len(rotation)

    def _caregivers(self, municipality, coordinator, rng):
        relations = PersonRelation.objects.filter(
            kind=RelationKind.CAREGIVER, to_person__municipality=municipality, from_person__municipality=municipality
        )
        # recipients who started a service or moved lately first, so the demo shows mapping prompts
        since = timezone.localdate() - datetime.timedelta(days=LOOKBACK_DAYS)
        recent = ServiceDecision.objects.filter(start_date__gte=since)
        relations = relations.annotate(recent=Exists(recent.filter(person=OuterRef("to_person"))))
        relations = list(relations.select_related("from_person", "to_person").order_by("-recent", "pk")[:CAREGIVERS])
        for index, relation in enumerate(relations):
            link = caregivers.create_link(
                relation,
                coordinator,
                relationship="daughter" if index % 2 else "spouse",
                hours_per_week=rng.choice((5, 10, 20, 40)),
                work_or_study="Works full time" if index % 3 else "",
            )
            self._follow_up(link, coordinator, index, rng)
        return len(relations)

    def _follow_up(self, link, user, index, rng):
        if index % 2 == 0:
            Consent.objects.create(link=link, topic=ConsentTopic.RESPITE, recorded_by=user)
            Consent.objects.create(link=link, topic=ConsentTopic.SERVICES, recorded_by=user)
        if index % 3 != 2:
            answers = {item: rng.random() < (0.7 if index % 4 == 0 else 0.3) for item in caregivers.strain_items()}
            caregivers.record_mapping(
                link,
                user,
                caregivers.score_strain(answers),
                situation="Helps every day with meals.",
                needs="Respite on weekends.",
                what_matters="To keep working.",
            )
        if index % 3 == 0:
            review = timezone.localdate() + datetime.timedelta(days=180)
            caregivers.next_agreement(
                link,
                user,
                caregiver_does="Dinner and shopping.",
                service_does="Home nursing morning and evening.",
                review_date=review,
            )
        InformationEntry.objects.create(
            link=link,
            by=user,
            direction=InformationDirection.TO_CAREGIVER,
            summary="Told about the caregiver school and respite.",
        )
        if index % 4 == 1:
            AdvanceCareNote.objects.create(link=link, by=user, note="Wishes to stay at home as long as possible.")

    def _contacts(self, municipality):
        for department in Department.objects.filter(unit__municipality=municipality).select_related("unit"):
            user = (
                User.objects.filter(department=department).first() or User.objects.filter(unit=department.unit).first()
            )
            if user is not None:
                CaregiverContact.objects.get_or_create(department=department, defaults={"user": user})
