"""The access helper for home visits: every view gets a visit through here."""

from django.shortcuts import get_object_or_404

from trappa.assessments.models import HomeVisit
from trappa.audit.access import check_person_access, log_access
from trappa.audit.models import AccessAction


def get_visit_for_user(request, visit_id, action=AccessAction.VIEW):
    """The visit, if the user may see its person (404 for another municipality); logged."""
    visit = get_object_or_404(HomeVisit.objects.select_related("person__municipality", "visited_by"), pk=visit_id)
    grant = check_person_access(request.user, visit.person)
    log_access(request, visit.person, grant, f"home visit {visit.pk}", action)
    return visit
