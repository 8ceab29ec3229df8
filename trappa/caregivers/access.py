"""One access helper per protected model of caregivers (the pattern of trappa/audit/access.py).

Everything of caregivers hangs on a CaregiverLink, which names two persons: the
caregiver and the recipient. A user needs a grant for both, and both are logged.
"""

from django.shortcuts import get_object_or_404

from trappa.audit.access import check_person_access, log_access
from trappa.audit.models import AccessAction
from trappa.caregivers.models import Agreement, CaregiverLink


def get_link_for_user(request, link_id, what, action=AccessAction.VIEW):
    link = get_object_or_404(CaregiverLink.objects.select_related("caregiver", "recipient", "relation"), pk=link_id)
    log_link(request, link, what, action)
    return link


def log_link(request, link, what, action=AccessAction.VIEW):
    """Check both persons first, then log both: a refusal for either logs nothing."""
    grants = [(person, check_person_access(request.user, person)) for person in (link.recipient, link.caregiver)]
    for person, grant in grants:
        log_access(request, person, grant, f"{what} (caregiver link {link.pk})", action)


def get_agreement_for_user(request, agreement_id, action=AccessAction.VIEW):
    agreement = get_object_or_404(
        Agreement.objects.select_related("link__caregiver", "link__recipient", "link__relation"), pk=agreement_id
    )
    log_link(request, agreement.link, f"collaboration agreement {agreement.pk}", action)
    return agreement
