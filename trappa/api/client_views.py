"""Pages where administrators manage machine clients (trappa/api/clients.py): register one (its
secret is shown once), and, as a *different* administrator, approve it; a new secret; deactivate.
No personal data: the administrator's own municipality's clients only."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from trappa.accounts.access import managed_municipality
from trappa.accounts.models import Unit
from trappa.accounts.roles import PERSONAL_DATA_ROLES, Role
from trappa.accounts.routes import staff_required
from trappa.api import clients
from trappa.api.models import Client
from trappa.api.scopes import Scope

administrator = staff_required(Role.ADMINISTRATOR)
CLIENT_ROLES = [(r.value, r.label) for r in Role if r in PERSONAL_DATA_ROLES or r == Role.PLANNER]


class ClientForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the system"), max_length=100)
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    unit = forms.ModelChoiceField(label=gettext_lazy("Acts for the unit"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=gettext_lazy("With the role"), choices=CLIENT_ROLES)
    helseid_client_id = forms.CharField(label=gettext_lazy("HelseID client id (optional)"), required=False)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(municipality=municipality).order_by("name")
        self.municipality = municipality

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Client.objects.filter(municipality=self.municipality, name=name).exists():
            raise forms.ValidationError(_("A client with this name exists already."))
        return name


@administrator
def client_list(request):
    municipality = managed_municipality(request)
    form = ClientForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        client, secret = clients.register_client(
            request.user,
            data["name"],
            data["scopes"],
            unit=data["unit"],
            role=data["role"],
            helseid_client_id=data["helseid_client_id"] or None,
        )
        return render(request, "api/client_secret.html", {"client": client, "secret": secret})
    rows = Client.objects.filter(municipality=municipality).select_related("created_by", "approved_by", "user__unit")
    return render(request, "api/clients.html", {"clients": rows.order_by("name"), "form": form})


@administrator
@require_POST
def client_action(request, client_id):
    client = get_object_or_404(Client, pk=client_id, municipality=managed_municipality(request))
    action = request.POST.get("action")
    try:
        if action == "approve":
            clients.approve_client(request.user, client)
            messages.success(request, _("The client is approved: it can now get tokens."))
        elif action == "secret":
            secret = clients.new_secret(request.user, client)
            return render(request, "api/client_secret.html", {"client": client, "secret": secret})
        elif action == "deactivate":
            clients.deactivate_client(request.user, client)
            messages.success(request, _("The client is deactivated and its tokens revoked."))
    except PermissionDenied:
        messages.error(request, _("A client is approved by another administrator than the one who registered it."))
    return redirect("api:clients")
