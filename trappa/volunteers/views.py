"""The register of volunteers and partners, volunteers on groups, their hours, and visiting friends.

For the staff who organise volunteers. The register, the assignments and the hours name no person
(a group is named, not its participants); a visiting-friend match names a person, so its page is a
person view: the person is opened through the access check and every view and change is logged.
Volunteers themselves have no login and no access to health data."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trappa.accounts.routes import staff_required
from trappa.audit.access import check_person_access, log_access
from trappa.audit.models import AccessAction
from trappa.audit.routes import person_view
from trappa.people.access import get_person_for_user
from trappa.volunteers import services
from trappa.volunteers.forms import (
    AssignmentForm,
    HoursForm,
    MatchForm,
    MeetingForm,
    MeetingPointForm,
    PartnerForm,
    VolunteerForm,
)
from trappa.volunteers.models import (
    GroupAssignment,
    Meeting,
    MeetingPoint,
    Partner,
    VisitingFriendMatch,
    Volunteer,
    VolunteerHours,
)
from trappa.volunteers.roles import ORGANISERS


@staff_required(*ORGANISERS)
def register(request):
    municipality = request.user.municipality
    volunteer_form = VolunteerForm(request.POST or None, municipality=municipality, prefix="volunteer")
    partner_form = PartnerForm(request.POST or None, prefix="partner")
    if request.method == "POST":
        form = volunteer_form if "volunteer-name" in request.POST else partner_form
        if form.is_valid():
            form.instance.municipality = municipality
            form.save()
            return redirect("volunteers:register")
    today = timezone.localdate()
    volunteers = Volunteer.objects.filter(municipality=municipality).select_related("organisation", "supervisor")
    partners = Partner.objects.filter(municipality=municipality)
    context = {
        "volunteers": volunteers,
        "partners": [(p, p.has_agreement_on(today)) for p in partners],
        "due": set(volunteers.certificate_due(today).values_list("pk", flat=True)),
        "volunteer_form": volunteer_form,
        "partner_form": partner_form,
    }
    return render(request, "volunteers/register.html", context)


@staff_required(*ORGANISERS)
@require_http_methods(["GET", "POST"])
def assignments(request):
    """Volunteers on groups: the current assignments, and a form to assign one (instructors need a physiotherapist)."""
    municipality = request.user.municipality
    form = AssignmentForm(request.POST or None, municipality=municipality)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    services.assign_to_group(data["volunteer"], data["group"], data["starts_on"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            except IntegrityError:  # the same assignment saved at the same moment by someone else
                messages.error(request, _("The volunteer already helps with this group."))
            else:
                messages.success(
                    request,
                    _("%(volunteer)s helps with %(group)s.")
                    % {
                        "volunteer": data["volunteer"].name,
                        "group": data["group"].name,
                    },
                )
                return redirect("volunteers:assignments")
        else:
            messages.error(request, _("The assignment was not saved: see the fields marked."))
    rows = GroupAssignment.objects.filter(volunteer__municipality=municipality).select_related(
        "volunteer", "group__offering"
    )
    return render(request, "volunteers/assignments.html", {"form": form, "assignments": rows})


@staff_required(*ORGANISERS)
@require_http_methods(["GET", "POST"])
def hours(request):
    """Record the hours a volunteer gave, for a group or otherwise; the latest hours recorded."""
    municipality = request.user.municipality
    form = HoursForm(request.POST or None, municipality=municipality)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("The hours are recorded."))
            return redirect("volunteers:hours")
        messages.error(request, _("The hours were not recorded: see the fields marked."))
    latest = VolunteerHours.objects.filter(volunteer__municipality=municipality).select_related("volunteer", "group")
    return render(request, "volunteers/hours.html", {"form": form, "hours": latest[:50]})


@person_view(*ORGANISERS)
@require_http_methods(["GET", "POST"])
def person_friends(request, person_id):
    """A person's visiting friends, and matching one with the person's consent; opened and changed with logging."""
    person = get_person_for_user(request, person_id, "visiting friends")
    form = MatchForm(request.POST or None, municipality=request.user.municipality)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    match = services.match_visiting_friend(
                        data["volunteer"], person, data["consent_on"], data["started_on"], request.user
                    )
                    grant = check_person_access(request.user, person)
                    log_access(request, person, grant, f"visiting friend match {match.pk}", AccessAction.CREATE)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The visiting friend is matched with the person's consent."))
                return redirect("volunteers:person", person_id=person.pk)
        else:
            messages.error(request, _("The match was not saved: see the fields marked."))
    matches = VisitingFriendMatch.objects.filter(person=person).select_related("volunteer")
    return render(request, "volunteers/person.html", {"person": person, "form": form, "matches": matches})


@staff_required(*ORGANISERS)
@require_http_methods(["GET", "POST"])
def meeting_points(request):
    """The meeting points for caregivers and volunteers (seed 002 §8) and their meetings: counts, no names."""
    municipality = request.user.municipality
    point_form = MeetingPointForm(request.POST or None, municipality=municipality, prefix="point")
    meeting_form = MeetingForm(request.POST or None, municipality=municipality, prefix="meeting")
    if request.method == "POST":
        form = point_form if "point-name" in request.POST else meeting_form
        if form.is_valid():
            if form is point_form:
                form.instance.municipality = municipality
            form.save()
            messages.success(
                request, _("The meeting point is saved.") if form is point_form else _("The meeting is recorded.")
            )
            return redirect("volunteers:meeting_points")
        messages.error(request, _("Nothing was saved: see the fields marked."))
    today = timezone.localdate()
    points = MeetingPoint.objects.filter(municipality=municipality).select_related("partner")
    year_ago = today - datetime.timedelta(days=365)
    meetings = Meeting.objects.filter(meeting_point__municipality=municipality).select_related("meeting_point")
    # Each point's meetings in the last twelve months, counted by the database (not every meeting ever, per point).
    recent = meetings.filter(held_on__gt=year_ago, held_on__lte=today).order_by().values("meeting_point")
    totals = {r["meeting_point"]: r for r in recent.annotate(n=Count("pk"), came=Sum("caregivers"))}
    rows = [(point, totals.get(point.pk, {}).get("n", 0), totals.get(point.pk, {}).get("came", 0)) for point in points]
    context = {
        "rows": rows,
        "meetings": meetings.prefetch_related("hosts")[:30],
        "point_form": point_form,
        "meeting_form": meeting_form,
    }
    return render(request, "volunteers/meeting_points.html", context)
