from django.shortcuts import render

from trappa.audit.routes import public


@public
def home(request):
    """The front page: the public staircase for citizens, and a way in for staff."""
    return render(request, "home.html")
