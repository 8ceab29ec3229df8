"""The register of volunteers and partners: for the staff who organise them. No health data here."""

from django.shortcuts import redirect, render
from django.utils import timezone

from trappa.accounts.routes import staff_required
from trappa.volunteers.forms import PartnerForm, VolunteerForm
from trappa.volunteers.models import Partner, Volunteer
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
