from django.shortcuts import render

from trappa.accounts.routes import public, second_factor_first
from trappa.catalogue.views import municipalities_with_catalogue


@public
@second_factor_first
def home(request):
    """The front page: the public staircase for citizens, and a way in for staff."""
    municipalities = list(municipalities_with_catalogue().prefetch_related("steps"))
    return render(request, "home.html", {"municipalities": municipalities})
