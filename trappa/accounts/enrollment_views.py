"""The approver's page that issues a one-time enrollment code (trappa/accounts/enrollment.py)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from trappa.accounts import enrollment
from trappa.accounts.models import User
from trappa.accounts.roles import ENROLLMENT_CODE_ISSUERS
from trappa.accounts.routes import staff_required


@staff_required(*ENROLLMENT_CODE_ISSUERS)
@never_cache
def enrollment_code(request, user_id):
    """GET: whom the code is for; POST: issue a new code and show it, this once."""
    user = User.objects.filter(pk=user_id, municipality=request.user.municipality_id).first()
    if user is None:
        raise Http404
    if not enrollment.may_issue(request.user, user):
        raise PermissionDenied
    code = enrollment.issue(user, request.user) if request.method == "POST" else None
    codes = user.enrollment_codes.select_related("issued_by")[:10]
    context = {"managed": user, "code": code, "codes": codes, "hours": settings.ENROLLMENT_CODE_HOURS}
    return render(request, "accounts/enrollment_code_issue.html", context)
