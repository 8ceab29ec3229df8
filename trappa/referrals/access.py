"""The access helpers for referrals and enrollments: every view gets one through here."""

from django.shortcuts import get_object_or_404

from trappa.audit.access import check_person_access, log_access
from trappa.audit.models import AccessAction
from trappa.referrals.models import Enrollment, FirstContactMapping, IndividualPlan, Referral


def get_referral_for_user(request, referral_id, action=AccessAction.VIEW):
    """The referral, if the user may see its person (404 for another municipality); logged."""
    q = Referral.objects.select_related("person__municipality", "offering__municipality", "unit")
    referral = get_object_or_404(q, pk=referral_id)
    grant = check_person_access(request.user, referral.person)
    log_access(request, referral.person, grant, f"referral {referral.pk}", action)
    return referral


def get_enrollment_for_user(request, enrollment_id, action=AccessAction.VIEW):
    """The enrollment, if the user may see its person; logged."""
    q = Enrollment.objects.select_related("person__municipality", "group")
    enrollment = get_object_or_404(q, pk=enrollment_id)
    log_enrollment(request, enrollment, action)
    return enrollment


def log_enrollment(request, enrollment, action=AccessAction.VIEW, what="", grant=None):
    """Check the user may see the enrollment's person, then log it (`what` adds to "enrollment 7").

    `grant`: the access checked before a step that ends it (withdraw, complete ...), so the
    step's log entry, written after it, names the grant the step was taken under."""
    grant = grant or check_person_access(request.user, enrollment.person)
    log_access(request, enrollment.person, grant, f"enrollment {enrollment.pk}{what}", action)


def get_plan_for_user(request, plan_id, action=AccessAction.VIEW):
    """The individual plan, if the user may see its person; logged."""
    q = IndividualPlan.objects.select_related("person__municipality", "coordinator")
    plan = get_object_or_404(q, pk=plan_id)
    grant = check_person_access(request.user, plan.person)
    log_access(request, plan.person, grant, f"individual plan {plan.pk}", action)
    return plan


def get_mapping_for_user(request, mapping_id, action=AccessAction.VIEW):
    """The first-contact mapping, if the user may see its person; logged."""
    q = FirstContactMapping.objects.select_related("person__municipality", "municipality", "by")
    mapping = get_object_or_404(q, pk=mapping_id)
    grant = check_person_access(request.user, mapping.person)
    log_access(request, mapping.person, grant, f"first-contact mapping {mapping.pk}", action)
    return mapping
