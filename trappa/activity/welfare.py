"""A person's welfare technology, recorded by hand: what the import from decisions does not bring."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from trappa.accounts.routes import staff_required
from trappa.activity.roles import WELFARE_IMPORT_ROLES, WELFARE_TECHNOLOGY_ROLES
from trappa.activity.tasks import WELFARE_TECHNOLOGY_IMPORT, import_welfare_technology_file
from trappa.audit.access import check_person_access, log_access
from trappa.audit.models import AccessAction
from trappa.audit.routes import person_view
from trappa.people.access import get_person_for_user
from trappa.people.import_views import start_file_import
from trappa.people.models import WelfareTechnology


class TechnologyForm(forms.ModelForm):
    class Meta:
        model = WelfareTechnology
        fields = ["kind", "since", "until", "decision"]
        widgets = {name: forms.DateInput(attrs={"type": "date"}) for name in ("since", "until")}

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["decision"].queryset = person.decisions.order_by("-start_date")

    def clean(self):
        data = super().clean()
        since, until, kind = data.get("since"), data.get("until"), data.get("kind")
        if since and until and until < since:
            self.add_error("until", gettext_lazy("The end date is before the date the technology was installed."))
        if since and kind and WelfareTechnology.objects.filter(person=self.person, kind=kind, since=since).exists():
            self.add_error("kind", gettext_lazy("The person already has this technology from this date."))
        return data


class EndForm(forms.Form):
    until = forms.DateField(label=gettext_lazy("Ended on"), widget=forms.DateInput(attrs={"type": "date"}))


@person_view(*WELFARE_TECHNOLOGY_ROLES)
def person_technology(request, person_id):
    person = get_person_for_user(request, person_id, "welfare technology")
    return _render(request, person, TechnologyForm(person=person))


def _render(request, person, form):
    context = {"person": person, "technologies": person.welfare_technology.select_related("decision"), "form": form}
    return render(request, "activity/welfare_technology.html", context)


@require_POST
@person_view(*WELFARE_TECHNOLOGY_ROLES)
def add_technology(request, person_id):
    person = get_person_for_user(request, person_id, "welfare technology form")
    form = TechnologyForm(request.POST, person=person)
    if not form.is_valid():
        return _render(request, person, form)
    # The row and its log entry are committed together, the entry after the row exists.
    with transaction.atomic():
        technology = form.save(commit=False)
        technology.person = person
        technology.save()
        grant = check_person_access(request.user, person)
        log_access(request, person, grant, f"welfare technology {technology.pk}", AccessAction.CREATE)
    messages.success(request, _("The welfare technology is recorded."))
    return redirect("activity:welfare_technology", person_id=person.pk)


@require_POST
@person_view(*WELFARE_TECHNOLOGY_ROLES)
def end_technology(request, technology_id):
    technology = get_object_or_404(WelfareTechnology.objects.select_related("person"), pk=technology_id)
    person = get_person_for_user(request, technology.person_id, f"welfare technology {technology.pk}")
    form = EndForm(request.POST)
    if not form.is_valid() or form.cleaned_data["until"] < technology.since:
        messages.error(request, _("Give the date it ended, on or after the date it was installed."))
        return redirect("activity:welfare_technology", person_id=person.pk)
    with transaction.atomic():
        technology.until = form.cleaned_data["until"]
        technology.save(update_fields=["until"])
        grant = check_person_access(request.user, person)
        log_access(request, person, grant, f"welfare technology {technology.pk} ended", AccessAction.CHANGE)
    messages.success(request, _("The end date is saved."))
    return redirect("activity:welfare_technology", person_id=person.pk)


@staff_required(*WELFARE_IMPORT_ROLES)
def import_file(request):
    """Upload the welfare-technology file from the decisions; a job imports it, all or nothing."""
    return start_file_import(
        request, WELFARE_TECHNOLOGY_IMPORT, import_welfare_technology_file, "activity/welfare_import.html"
    )
