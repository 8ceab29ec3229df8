"""Individual plans (IP): the right, the person's answer, the coordinator, goals and measures.

The coordinator sees the person through a COORDINATOR care relationship that
lasts while they coordinate; changing coordinator ends the old one.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappa.accounts.models import PERSONAL_DATA_ROLES, User
from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.referrals.models import IndividualPlan, PlanAnswer, PlanGoal, PlanMeasure, ResponsibilityGroupMember


def create(person, user, entitled_on):
    if entitled_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    return IndividualPlan.objects.create(
        municipality=person.municipality, person=person, entitled_on=entitled_on, created_by=user
    )


def answer(plan, value, on):
    if value not in (PlanAnswer.ACCEPTED, PlanAnswer.DECLINED):
        raise ValidationError(_("Answer accepted or declined."))
    plan.answer, plan.answered_on = value, on
    plan.save(update_fields=["answer", "answered_on"])
    return plan


@transaction.atomic
def assign_coordinator(plan, coordinator):
    """Make `coordinator` the plan's coordinator, with access to the person; the old one's access ends."""
    if coordinator.municipality_id != plan.municipality_id or coordinator.role not in PERSONAL_DATA_ROLES:
        raise ValidationError(_("The coordinator must be a member of staff of the municipality."))
    if plan.answer == PlanAnswer.DECLINED:
        raise ValidationError(_("The person declined the plan: there is nothing to coordinate."))
    if plan.coordinator_relationship_id:
        CareRelationship.objects.filter(pk=plan.coordinator_relationship_id, ended_at__isnull=True).update(
            ended_at=timezone.now(), end_reason="coordinator changed"
        )
    plan.coordinator = coordinator
    plan.coordinator_relationship = CareRelationship.objects.create(
        person=plan.person, user=coordinator, kind=CareRelationshipKind.COORDINATOR, source=f"individual_plan:{plan.pk}"
    )
    plan.save(update_fields=["coordinator", "coordinator_relationship"])
    return plan


def add_member(plan, name, role):
    if not name.strip():
        raise ValidationError(_("Give the member's name."))
    return ResponsibilityGroupMember.objects.create(plan=plan, name=name.strip(), role=role.strip())


def add_goal(plan, text):
    if not text.strip():
        raise ValidationError(_("Write the goal."))
    return PlanGoal.objects.create(plan=plan, text=text.strip())


def add_measure(goal, text, responsible, due_on=None):
    if not text.strip() or not responsible.strip():
        raise ValidationError(_("Write the measure and who is responsible for it."))
    return PlanMeasure.objects.create(goal=goal, text=text.strip(), responsible=responsible.strip(), due_on=due_on)


def workload(municipality):
    """Per coordinator: open plans and open measures, most plans first. Staff names only, no persons."""
    open_plans = Q(coordinated_plans__closed_on__isnull=True) & ~Q(coordinated_plans__answer=PlanAnswer.DECLINED)
    q = User.objects.filter(municipality=municipality, coordinated_plans__isnull=False).distinct()
    q = q.annotate(
        plans=Count("coordinated_plans", filter=open_plans, distinct=True),
        open_measures=Count(
            "coordinated_plans__goals__measures",
            filter=open_plans & Q(coordinated_plans__goals__measures__done=False),
            distinct=True,
        ),
    )
    return q.order_by("-plans", "username")
