"""The pathway report per offering and year, in the form of Vefsn's rehabilitation report (seed 001),
or per pathway and year for the pathways that are a service of their own (intervention team,
day rehabilitation, rehabilitation stay), with the physiotherapy of the rehabilitation stays.

Aggregates only: counts, durations, visits, SPPB change, waiting times and
course attendance, with no names. Exported as csv and xlsx with the same rows.

No number on it is one person's value: spreads are the quartiles, never the
shortest or longest (always one person's exact value), and are left out for
fewer than SMALL_COUNT_THRESHOLD persons; a count of 1 to that threshold − 1
persons is shown as "<threshold" (trappa/lib/small_counts.py).
"""

from dataclasses import dataclass
from statistics import mean, quantiles

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappa.accounts.routes import staff_required
from trappa.assessments import instruments
from trappa.catalogue.models import Offering
from trappa.lib import exports
from trappa.lib.small_counts import is_small
from trappa.referrals.models import (
    TAKEN,
    Attendance,
    Enrollment,
    EnrollmentStatus,
    Group,
    Moment,
    Pathway,
    PhysiotherapySession,
    Referral,
    Source,
    Status,
)


@dataclass(frozen=True)
class Row:
    section: str
    key: str
    label: str
    value: object


def build(offering, year):
    """Every row of the report for referrals received in `year`."""
    q = Referral.objects.filter(offering=offering, referred_on__year=year)
    referrals = list(q.prefetch_related("steps", "measurements"))
    rows = _funnel(referrals) + _durations(referrals) + _sppb(referrals) + _waiting(referrals)
    return [_hide_small_count(row) for row in rows + _courses(offering, year)]


def build_pathway(municipality, pathway, year):
    """Every row of the report for the municipality's referrals to a pathway received in `year`."""
    q = Referral.objects.filter(municipality=municipality, pathway=pathway, referred_on__year=year)
    referrals = list(q.prefetch_related("steps", "measurements"))
    rows = _funnel(referrals) + _durations(referrals) + _sppb(referrals) + _waiting(referrals)
    rows += _planned_period(referrals)
    if pathway == Pathway.INTERVENTION_TEAM:
        rows += _from_discharge(referrals)
    if pathway == Pathway.REHABILITATION_STAY:
        rows += _physiotherapy(referrals)
    return [_hide_small_count(row) for row in rows]


def _planned_period(referrals):
    """Of the completed: ended within the planned period, after it, or with no period planned.
    The plans give no length for any of these pathways: the period is the one staff planned."""
    completed = [r for r in referrals if r.status == Status.COMPLETED and r.ended_on]
    within = sum(1 for r in completed if r.planned_until and r.ended_on <= r.planned_until)
    after = sum(1 for r in completed if r.planned_until and r.ended_on > r.planned_until)
    return [
        Row("planned", "within", _("Completed within the planned period"), within),
        Row("planned", "after", _("Completed after the planned period"), after),
        Row("planned", "none", _("Completed with no planned period"), len(completed) - within - after),
    ]


def _from_discharge(referrals):
    """The intervention team: days from the discharge to the start of the follow-up at home."""
    days = [(r.started_on - r.discharged_on).days for r in referrals if r.started_on and r.discharged_on]
    spread = _spread(days)
    return [
        Row("discharge", "mean_days", _("Days from discharge to start, mean"), _round(spread["mean"])),
        Row("discharge", "p75_days", _("Days from discharge to start, upper quartile"), _round(spread["p75"])),
    ]


def _physiotherapy(referrals):
    """Seed 001 §7.1: an hour of physiotherapy a day during a rehabilitation stay. Sessions per stay."""
    sessions = PhysiotherapySession.objects.filter(referral__in=referrals)
    per_stay = {r.pk: 0 for r in referrals if r.started_on}
    for referral_id in sessions.values_list("referral_id", flat=True):
        if referral_id in per_stay:
            per_stay[referral_id] += 1
    spread = _spread(list(per_stay.values()))
    # The total of one or a few stays would be their own counts: hidden as the spreads are.
    total = sessions.count() if spread["mean"] is not None else None
    return [
        Row("physiotherapy", "stays", _("Rehabilitation stays started"), len(per_stay)),
        Row("physiotherapy", "sessions", _("Physiotherapy sessions"), total),
        Row("physiotherapy", "mean", _("Physiotherapy sessions per stay, mean"), _round(spread["mean"])),
        Row("physiotherapy", "p25", _("Physiotherapy sessions per stay, lower quartile"), _round(spread["p25"])),
        Row("physiotherapy", "p75", _("Physiotherapy sessions per stay, upper quartile"), _round(spread["p75"])),
    ]


# The rows that count persons (the others are spreads, seats, groups or percentages).
PERSON_COUNTS = {"funnel", "source", "sppb", ("waiting", "waiting_now"), ("courses", "enrolled")}
PERSON_COUNTS |= {("physiotherapy", "stays"), "planned"}
PERSON_COUNTS |= {("courses", "waitlisted")}


def _hide_small_count(row):
    threshold = settings.SMALL_COUNT_THRESHOLD
    counts_persons = row.section in PERSON_COUNTS or (row.section, row.key) in PERSON_COUNTS
    if counts_persons and isinstance(row.value, int) and is_small(row.value, threshold):
        return Row(row.section, row.key, row.label, f"<{threshold}")
    return row


def _reached(referral, status):
    return any(step.status == status for step in referral.steps.all())


def _funnel(referrals):
    rows = [Row("funnel", "received", _("Referrals received"), len(referrals))]
    for source in Source:
        count = sum(1 for r in referrals if r.source == source)
        rows.append(Row("source", source.value, source.label, count))
    for key, label, status in (
        ("not_relevant", _("Assessed not relevant"), Status.NOT_RELEVANT),
        ("relevant", _("Assessed relevant"), Status.RELEVANT),
        ("started", _("Started"), Status.STARTED),
    ):
        rows.append(Row("funnel", key, label, sum(1 for r in referrals if _reached(r, status))))
    for key, label, status in (
        ("completed", _("Completed"), Status.COMPLETED),
        ("dropped_out", _("Dropped out"), Status.DROPPED_OUT),
        ("declined", _("Declined"), Status.DECLINED),
    ):
        rows.append(Row("funnel", key, label, sum(1 for r in referrals if r.status == status)))
    still_open = sum(1 for r in referrals if not r.is_closed)
    return rows + [Row("funnel", "open", _("Still open"), still_open)]


DURATION_LABELS = {
    "mean": (_("Duration, mean, days"), _("Duration, mean, weeks")),
    "p25": (_("Duration, lower quartile, days"), _("Duration, lower quartile, weeks")),
    "p75": (_("Duration, upper quartile, days"), _("Duration, upper quartile, weeks")),
}
VISIT_LABELS = {
    "mean": _("Visits, mean"),
    "p25": _("Visits, lower quartile"),
    "p75": _("Visits, upper quartile"),
}


def _spread(values):
    """{"mean", "p25", "p75"} of one value per person, or Nones for too few persons to hide each one."""
    if len(values) < max(settings.SMALL_COUNT_THRESHOLD, 2):
        return {"mean": None, "p25": None, "p75": None}
    p25, _median, p75 = quantiles(values, n=4, method="inclusive")
    return {"mean": mean(values), "p25": p25, "p75": p75}


def _durations(referrals):
    """Duration and visits of the completed interventions: the mean and the quartiles."""
    completed = [r for r in referrals if r.status == Status.COMPLETED and r.duration_days is not None]
    days = _spread([r.duration_days for r in completed])
    visits = _spread([r.visits for r in completed])
    rows = []
    for key, (days_label, weeks_label) in DURATION_LABELS.items():
        rows.append(Row("duration", f"{key}_days", days_label, _round(days[key])))
        rows.append(Row("duration", f"{key}_weeks", weeks_label, _weeks(days[key])))
    for key, label in VISIT_LABELS.items():
        rows.append(Row("visits", key, label, _round(visits[key])))
    return rows


def _round(value):
    return None if value is None else round(value, 1) if isinstance(value, float) else value


def _weeks(days):
    return None if days is None else round(days / 7, 1)


def _sppb(referrals):
    """SPPB change from start to end, for everyone who started; 'not tested' when the end test could not be done."""
    counts = {"better": 0, "unchanged": 0, "worse": 0, "not_tested": 0}
    # The instrument file says what change is clinically meaningful (SPPB: 1 point, seed 001).
    meaningful = instruments.get("sppb").meaningful_change
    for referral in referrals:
        by_moment = {m.moment: m for m in referral.measurements.all() if m.instrument_id == "sppb"}
        start, end = by_moment.get(Moment.START), by_moment.get(Moment.END)
        if start is None or end is None:
            continue
        if start.not_tested or end.not_tested:
            counts["not_tested"] += 1
            continue
        change = end.total - start.total
        key = "better" if change >= meaningful else "worse" if change <= -meaningful else "unchanged"
        counts[key] += 1
    labels = {
        "better": _("SPPB better"),
        "unchanged": _("SPPB unchanged"),
        "worse": _("SPPB worse"),
        "not_tested": _("SPPB not tested at the end"),
    }
    return [Row("sppb", key, labels[key], value) for key, value in counts.items()]


def _waiting(referrals):
    """Days from assessed relevant to started, and how many wait today."""
    waits = []
    for referral in referrals:
        dates = {step.status: step.on for step in referral.steps.all()}
        if Status.RELEVANT in dates and Status.STARTED in dates:
            waits.append((dates[Status.STARTED] - dates[Status.RELEVANT]).days)
    waiting_now = sum(1 for r in referrals if r.status in (Status.RELEVANT, Status.WAITING))
    return [
        Row("waiting", "mean_days", _("Waiting time, mean, days"), _round(_spread(waits)["mean"])),
        Row("waiting", "p75_days", _("Waiting time, upper quartile, days"), _round(_spread(waits)["p75"])),
        Row("waiting", "waiting_now", _("Waiting now"), waiting_now),
    ]


def _courses(offering, year):
    groups = Group.objects.filter(offering=offering, starts_on__year=year)
    enrollments = Enrollment.objects.filter(group__in=groups)
    attendance = Attendance.objects.filter(session__group__in=groups)
    marked, present = attendance.count(), attendance.filter(present=True).count()
    return [
        Row("courses", "groups", _("Groups"), groups.count()),
        Row("courses", "seats", _("Seats"), sum(g.capacity for g in groups)),
        # Those who completed the course took part too.
        Row("courses", "enrolled", _("Participants"), enrollments.filter(status__in=list(TAKEN)).count()),
        Row(
            "courses", "waitlisted", _("On a waitlist"), enrollments.filter(status=EnrollmentStatus.WAITLISTED).count()
        ),
        Row(
            "courses",
            "attendance_percent",
            _("Attendance, percent of marked seats"),
            round(100 * present / marked, 1) if marked else None,
        ),
    ]


HEADER = ["section", "key", "label", "value"]


def to_csv(rows):
    lines = [[row.section, row.key, str(row.label), "" if row.value is None else row.value] for row in rows]
    return exports.csv_bytes([HEADER, *lines])


def to_xlsx(rows, title):
    workbook = exports.new_workbook()
    sheet = workbook.active
    sheet.title = "report"
    exports.append_row(sheet, [title])
    exports.append_row(sheet, HEADER)
    for row in rows:
        exports.append_row(sheet, [row.section, row.key, str(row.label), row.value])
    return exports.workbook_bytes(workbook)


# The pathways with a report of their own (the others are reported per offering).
PATHWAY_REPORTS = (Pathway.INTERVENTION_TEAM, Pathway.DAY_REHABILITATION, Pathway.REHABILITATION_STAY)


class ReportForm(forms.Form):
    offering = forms.ModelChoiceField(label=_("Offering"), queryset=Offering.objects.none(), required=False)
    pathway = forms.ChoiceField(
        label=_("or a pathway"), choices=[("", "–"), *[(p.value, p.label) for p in PATHWAY_REPORTS]], required=False
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    format = forms.ChoiceField(
        label=_("Format"), choices=[("html", _("Page")), ("csv", "CSV"), ("xlsx", "Excel (xlsx)")], required=False
    )

    def __init__(self, municipality, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = Offering.objects.filter(municipality=municipality).order_by("name_nb")
        self.fields["year"].initial = timezone.localdate().year

    def clean(self):
        data = super().clean()
        if bool(data.get("offering")) == bool(data.get("pathway")):
            raise forms.ValidationError(_("Choose an offering or a pathway."))
        return data


@staff_required()
def report(request):
    form = ReportForm(request.user.municipality, request.GET or None)
    if not form.is_valid():
        return render(request, "referrals/report.html", {"form": form, "rows": None})
    offering, year = form.cleaned_data["offering"], form.cleaned_data["year"]
    if offering is not None:
        rows, code, title = build(offering, year), offering.code, offering.text("name")
    else:
        pathway = Pathway(form.cleaned_data["pathway"])
        rows, code, title = build_pathway(request.user.municipality, pathway, year), pathway.value, pathway.label
    name = f"referrals-{code}-{year}"
    if form.cleaned_data["format"] == "csv":
        return _download(to_csv(rows), "text/csv; charset=utf-8", f"{name}.csv")
    if form.cleaned_data["format"] == "xlsx":
        xlsx = to_xlsx(rows, f"{title} {year}")
        return _download(xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"{name}.xlsx")
    context = {"form": form, "rows": rows, "offering_name": title, "year": year, "by_pathway": offering is None}
    # The demo's note on what is invented names the municipality's own demo cohort.
    context["municipality_number"] = request.user.municipality.number
    return render(request, "referrals/report.html", context)


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
