"""Day-care places: the overview with its scenario (counts only), a new place, and the number of places;
and a person's page with the weekdays they come to each place they hold (part of the week).

Names are on the groups' pages (trappa/referrals), where the roster and the waitlist are listed
for the persons the user may see, and logged; the overview shows and logs no person. The person's
page is a person view: opened through the access check, and logged."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from trappa.accounts.routes import staff_required
from trappa.audit.access import check_person_access, log_access
from trappa.audit.models import AccessAction
from trappa.audit.routes import person_view
from trappa.daycare import services
from trappa.daycare.forms import WEEKDAY_CHOICES, CapacityForm, DaysForm, GiveForm, PlaceForm, ScenarioForm
from trappa.daycare.models import DayCarePlace
from trappa.daycare.roles import MANAGERS, VIEWERS
from trappa.lib.small_counts import is_small
from trappa.people.access import get_person_for_user
from trappa.referrals.models import SEATED, Enrollment


def _count(user, count):
    """A count as shown: small counts hidden from those who see no personal data (the planner)."""
    threshold = settings.SMALL_COUNT_THRESHOLD
    if not user.sees_personal_data and is_small(count, threshold):
        return f"<{threshold}"
    return count


@staff_required(*VIEWERS)
def index(request):
    places = list(services.running(request.user.municipality))
    form = ScenarioForm(request.GET or None)
    user = request.user
    rows = [(p, _days(p), _count(user, p.enrolled), _count(user, p.offered), _count(user, p.waiting)) for p in places]
    summary = [
        (s, _count(user, s.seated), _count(user, s.waiting), _still_waiting(user, s))
        for s in services.scenario(user.municipality, form.extra())
    ]
    use = [
        (kind, time, [(places, _count(user, coming)) for places, coming in days])
        for kind, time, days in services.weekday_use(places)
    ]
    context = {
        "rows": rows,
        "grid": services.weekday_grid(places),
        "use": use,
        "day_names": [label for _value, label in WEEKDAY_CHOICES],
        "form": form,
        "summary": summary,
        "may_manage": user.role in MANAGERS,
    }
    return render(request, "daycare/index.html", context)


def _still_waiting(user, summary):
    # hidden with the waiting count it is worked out from
    if _count(user, summary.waiting) != summary.waiting:
        return _count(user, summary.waiting)
    return _count(user, summary.still_waiting)


def _days(place, weekdays=None):
    names = dict(WEEKDAY_CHOICES)
    return ", ".join(str(names[day]) for day in (weekdays or place.weekdays))


@staff_required(*MANAGERS)
def new_place(request):
    form = PlaceForm(request.user.municipality, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_place(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The day-care place is created. Enroll persons from their page."))
            return redirect("daycare:index")
    return render(request, "daycare/new.html", {"form": form})


@require_POST
@staff_required(*MANAGERS)
def capacity(request, place_id):
    place = get_object_or_404(
        DayCarePlace.objects.select_related("group"), pk=place_id, group__municipality=request.user.municipality
    )
    form = CapacityForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the number of places, from 0 to 200."))
        offered = services.set_capacity(place, form.cleaned_data["capacity"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("daycare:index")
    message = ngettext(
        "The places are changed; %(count)d place is offered to the next on the waitlist.",
        "The places are changed; %(count)d places are offered to the next on the waitlist.",
        len(offered),
    )
    messages.success(request, message % {"count": len(offered)})
    return redirect("daycare:index")


@person_view(*MANAGERS)
def person_days(request, person_id):
    """The day-care places a person holds, each with the weekdays they come: every open day, or part of the week."""
    person = get_person_for_user(request, person_id, "day-care days")
    enrollments = (
        Enrollment.objects.filter(person=person, status__in=list(SEATED), group__day_care__isnull=False)
        .filter(group__municipality=request.user.municipality)
        .select_related("group__day_care", "day_care_days")
        .order_by("group__name")
    )
    if request.method == "POST" and "place" in request.POST:
        return _give(request, person, enrollments)
    if request.method == "POST":
        form = DaysForm(request.POST)
        enrollment = form.is_valid() and next((e for e in enrollments if e.pk == form.cleaned_data["enrollment"]), None)
        if not enrollment:
            messages.error(request, _("Choose the weekdays the person comes."))
            return redirect("daycare:person_days", person_id=person.pk)
        try:
            with transaction.atomic():
                services.set_days(enrollment, form.cleaned_data["weekdays"])
                grant = check_person_access(request.user, person)
                log_access(request, person, grant, f"day-care days {enrollment.pk}", AccessAction.CHANGE)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The weekdays are saved."))
        return redirect("daycare:person_days", person_id=person.pk)
    rows = []
    for enrollment in enrollments:
        place = enrollment.group.day_care
        own = services.days_of(enrollment, place)
        choices = [(day, label) for day, label in WEEKDAY_CHOICES if day in place.weekdays]
        rows.append((enrollment, place, _days(place), _days(place, own), own != place.weekdays, choices, own))
    context = {"person": person, "rows": rows, "others": _other_places(request.user, enrollments)}
    return render(request, "daycare/person.html", context)


def _other_places(user, enrollments):
    """The running places the person holds none of, each with the weekdays it is open, to give on some of them."""
    held = {enrollment.group_id for enrollment in enrollments}
    places = [place for place in services.running(user.municipality) if place.group_id not in held]
    return [(place, [(day, label) for day, label in WEEKDAY_CHOICES if day in place.weekdays]) for place in places]


def _give(request, person, enrollments):
    """Give the person a running place on the weekdays chosen, if each day has a place free; logged."""
    form = GiveForm(request.POST)
    places = {place.pk: place for place, _choices in _other_places(request.user, enrollments)}
    place = form.is_valid() and places.get(form.cleaned_data["place"])
    if not place:
        messages.error(request, _("Choose the weekdays the person comes."))
        return redirect("daycare:person_days", person_id=person.pk)
    try:
        with transaction.atomic():
            enrollment = services.enroll_on_days(place, person, form.cleaned_data["weekdays"])
            grant = check_person_access(request.user, person)
            log_access(request, person, grant, f"day-care place {enrollment.pk}", AccessAction.CHANGE)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The person has the place on the weekdays chosen."))
    return redirect("daycare:person_days", person_id=person.pk)
