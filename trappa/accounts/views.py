from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def two_factor(request):
    return render(request, "accounts/two_factor.html")
