from django.shortcuts import render


def home(request):
    """The front page: the public staircase for citizens, and a way in for staff."""
    return render(request, "home.html")
