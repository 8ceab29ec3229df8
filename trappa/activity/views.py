"""The service statistics page for leaders and planners: one table at a time, as a page, csv or xlsx."""

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trappa.accounts.routes import staff_required
from trappa.activity import exports, statistics
from trappa.activity.models import Ward, WardKind
from trappa.activity.roles import STATISTICS_ROLES

TABLES = [
    ("stays", _("Stays on a ward, by purpose (by year)")),
    ("individual_plans", _("Individual plans by service area and age (on a day)")),
    ("healthy_life", _("Frisklivssentralen (by year)")),
    ("devices", _("Assistive devices (years)")),
    ("mental_health", _("Mental-health pathways 1–3 (on a day)")),
    ("environmental_therapy", _("Miljøterapitjenesten (on a day)")),
    ("welfare_technology", _("Welfare technology (on a day)")),
    ("volunteer_hours", _("Volunteer hours (by year)")),
]
FORMATS = [("html", _("Page")), ("csv", "CSV"), ("xlsx", "Excel (xlsx)")]


class StatisticsForm(forms.Form):
    table = forms.ChoiceField(label=_("Statistics"), choices=TABLES)
    year = forms.IntegerField(label=_("Year (last year for assistive devices)"), min_value=2000, max_value=2100)
    first_year = forms.IntegerField(
        label=_("First year (assistive devices)"), min_value=2000, max_value=2100, required=False
    )
    on = forms.DateField(label=_("On the day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ward = forms.ModelChoiceField(label=_("Ward"), queryset=Ward.objects.none(), required=False)
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, required=False)

    def __init__(self, municipality, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.filter(municipality=municipality, kind=WardKind.INSTITUTION)
        self.fields["year"].initial = timezone.localdate().year

    def clean(self):
        data = super().clean()
        if data.get("table") == "stays" and not data.get("ward"):
            self.add_error("ward", gettext("Choose the ward."))
        first, last = data.get("first_year"), data.get("year")
        if first and last and first > last:
            self.add_error("first_year", gettext("The first year comes before the last."))
        return data


def build(municipality, data):
    table, on = data["table"], data.get("on") or timezone.localdate()
    if table == "stays":
        return statistics.stays(data["ward"], data["year"])
    if table == "individual_plans":
        return statistics.individual_plans(municipality, on)
    if table == "healthy_life":
        return statistics.healthy_life(municipality, data["year"])
    if table == "devices":
        return statistics.devices(municipality, data.get("first_year") or data["year"] - 5, data["year"])
    if table == "mental_health":
        return statistics.mental_health(municipality, on)
    if table == "volunteer_hours":
        return statistics.volunteer_hours(municipality, data["year"])
    if table == "welfare_technology":
        return statistics.welfare_technology(municipality, on)
    return statistics.environmental_therapy(municipality, on)


@staff_required(*STATISTICS_ROLES)
def report(request):
    municipality = request.user.municipality
    form = StatisticsForm(municipality, request.GET or None)
    if not form.is_valid():
        return render(request, "activity/statistics.html", {"form": form, "table": None})
    threshold = settings.SMALL_COUNT_THRESHOLD
    table = build(municipality, form.cleaned_data).suppressed(threshold)
    hidden_text = gettext("fewer than %(n)s") % {"n": threshold}
    name = f"statistics-{table.key}"
    if form.cleaned_data["format"] == "csv":
        return _download(exports.to_csv(table, hidden_text), "text/csv; charset=utf-8", f"{name}.csv")
    if form.cleaned_data["format"] == "xlsx":
        xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return _download(exports.to_xlsx(table, hidden_text), xlsx_type, f"{name}.xlsx")
    context = {"form": form, "table": table, "hidden_text": hidden_text, "hidden": statistics.HIDDEN}
    return render(request, "activity/statistics.html", context)


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
