from django.shortcuts import render

from trappa import workday as work
from trappa.accounts.routes import public, second_factor_first, staff_required
from trappa.catalogue.views import municipalities_with_catalogue


@public
@second_factor_first
def home(request):
    """The front page: the public staircase for citizens, and a way in for staff."""
    municipalities = list(municipalities_with_catalogue().prefetch_related("steps"))
    return render(request, "home.html", {"municipalities": municipalities})


@staff_required()
def workday(request):
    """Min arbeidsdag: the start page after login, what the role has to do today (counts, no names)."""
    return render(request, "workday.html", {"tasks": work.tasks(request.user)})
