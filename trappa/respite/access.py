"""One access helper per protected model of respite (the pattern of trappa/audit/access.py)."""

from django.shortcuts import get_object_or_404

from trappa.audit.access import check_person_access, log_access
from trappa.audit.models import AccessAction
from trappa.respite.models import RespiteBooking, RespiteDecision


def get_decision_for_user(request, decision_id, action=AccessAction.VIEW):
    decision = get_object_or_404(RespiteDecision.objects.select_related("person"), pk=decision_id)
    grant = check_person_access(request.user, decision.person)
    log_access(request, decision.person, grant, f"respite decision {decision.pk}", action)
    return decision


def get_booking_for_user(request, booking_id, action=AccessAction.VIEW):
    booking = get_object_or_404(RespiteBooking.objects.select_related("person"), pk=booking_id)
    grant = check_person_access(request.user, booking.person)
    log_access(request, booking.person, grant, f"respite booking {booking.pk}", action)
    return booking
