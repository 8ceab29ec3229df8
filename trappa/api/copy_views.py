"""The page where staff make a citizen's copy (trappa/api/copy.py): a person page."""

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from trappa.api import copy
from trappa.audit.routes import person_view
from trappa.people.access import get_person_for_user


@person_view()
@require_http_methods(["GET", "POST"])
def citizen_copy(request, person_id):
    """GET: what the copy holds and the two buttons; POST format=pdf|fhir: the copy (the request logged)."""
    if request.method == "POST" and request.POST.get("format") in ("pdf", "fhir"):
        if request.POST["format"] == "pdf":
            person, content = copy.pdf(request, person_id)
            response = HttpResponse(content, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="trappa-copy-{person.pk}.pdf"'
            return response
        person, bundle = copy.bundle(request, person_id)
        response = HttpResponse(json.dumps(bundle, ensure_ascii=False, indent=1), content_type="application/fhir+json")
        response["Content-Disposition"] = f'attachment; filename="trappa-copy-{person.pk}.json"'
        return response
    person = get_person_for_user(request, person_id, "citizen's copy page")
    return render(request, "api/citizen_copy.html", {"person": person})
