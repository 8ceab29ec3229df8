"""Emergency access ("break the glass") and the unit leader's review page."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from trappa.accounts.models import PERSONAL_DATA_ROLES, Role, User
from trappa.accounts.routes import staff_required
from trappa.audit.access import grant_emergency_access, has_grant, load_person_for_emergency_access
from trappa.audit.forms import EmergencyAccessForm, PeriodForm
from trappa.audit.models import AccessAction, AccessLogEntry, CareRelationshipKind, EmergencyAccess


@staff_required(*PERSONAL_DATA_ROLES)
def emergency_access(request, person_id):
    """Ask for emergency access. The page names nobody until access is granted."""
    person = load_person_for_emergency_access(request.user, person_id)
    next_url = _next_url(request, reverse("people:person", args=[person.pk]))
    if has_grant(request.user, person):
        return redirect(next_url)
    form = EmergencyAccessForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        grant_emergency_access(request.user, person, form.cleaned_data["reason"], form.cleaned_data["category"])
        messages.warning(
            request,
            _("Emergency access granted for %(minutes)d minutes. It is logged and reviewed.")
            % {"minutes": settings.EMERGENCY_ACCESS_MINUTES},
        )
        return redirect(next_url)
    context = {"form": form, "person_id": person.pk, "next": next_url}
    return render(request, "audit/emergency_access.html", context)


@staff_required(Role.UNIT_LEADER)
def review(request):
    """Emergency accesses and unusual access patterns of the leader's unit.

    It names staff, not persons: an emergency access is shown by its number,
    reason and use, so the page needs no grant to any person.
    """
    form = PeriodForm(request.GET or None, settings.ACCESS_REVIEW_DAYS)
    first_day, last_day = form.period()
    start, end = _day_start(first_day), _day_start(last_day + datetime.timedelta(days=1))
    unit_users = User.objects.filter(unit_id=request.user.unit_id, municipality_id=request.user.municipality_id)
    if request.user.unit_id is None:
        unit_users = unit_users.none()
    context = {
        "form": form,
        "first_day": first_day,
        "last_day": last_day,
        "emergencies": _emergencies(unit_users, start, end),
        "unusual": _unusual_users(unit_users, start, end),
        "threshold": settings.ACCESS_REVIEW_THRESHOLD,
        "has_unit": request.user.unit_id is not None,
    }
    return render(request, "audit/review.html", context)


def _emergencies(unit_users, start, end):
    q = EmergencyAccess.objects.filter(user__in=unit_users, granted_at__gte=start, granted_at__lt=end)
    q = q.annotate(uses=Count("accesslogentry"), persons_viewed=Count("accesslogentry__person", distinct=True))
    return q.select_related("user").order_by("-granted_at")


def _unusual_users(unit_users, start, end):
    """Users who opened more distinct persons than the threshold through anything
    but a worklist (other relationships and emergency access count). Being shown
    in a list is not opening a person."""
    q = AccessLogEntry.objects.filter(user__in=unit_users, at__gte=start, at__lt=end)
    q = q.exclude(action=AccessAction.LIST)
    # exclude() keeps entries without a relationship (emergency access).
    q = q.exclude(care_relationship__kind=CareRelationshipKind.WORKLIST)
    q = (
        q.order_by()
        .values("user")
        .annotate(
            persons=Count("person", distinct=True),
            emergency_persons=Count("person", distinct=True, filter=Q(emergency_access__isnull=False)),
        )
    )
    counts = {row["user"]: row for row in q.filter(persons__gt=settings.ACCESS_REVIEW_THRESHOLD)}
    users = User.objects.filter(pk__in=counts).order_by("username")
    return [(user, counts[user.pk]["persons"], counts[user.pk]["emergency_persons"]) for user in users]


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _next_url(request, default):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure())
    return candidate if candidate and allowed else default
