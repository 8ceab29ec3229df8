"""Day-care places: the overview with its scenario (counts only), a new place, and the number of places.

Names are on the groups' pages (trappa/referrals), where the roster and the waitlist are listed
for the persons the user may see, and logged; nothing here shows or logs a person."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from trappa.accounts.routes import staff_required
from trappa.daycare import services
from trappa.daycare.forms import WEEKDAY_CHOICES, CapacityForm, PlaceForm, ScenarioForm
from trappa.daycare.models import DayCarePlace
from trappa.daycare.roles import MANAGERS, VIEWERS
from trappa.lib.small_counts import is_small


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
    context = {
        "rows": rows,
        "grid": services.weekday_grid(places),
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


def _days(place):
    names = dict(WEEKDAY_CHOICES)
    return ", ".join(str(names[day]) for day in place.weekdays)


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
