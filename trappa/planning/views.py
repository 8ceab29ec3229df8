"""The planning pages: aggregates only, for planners and unit leaders."""

import os

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from trappa.accounts.routes import staff_required
from trappa.jobs.models import Job
from trappa.jobs.queue import JobNotStarted, enqueue
from trappa.jobs.uploads import save_upload

from . import explain, exports, kostra, params, register_population, services
from .forms import DeriveForm, PlanningForm, ReconciliationForm, UploadForm
from .models import PlanningRun, ProjectionDataset, Reconciliation
from .report import MEASURES, RunReport, effect_label, intervention_label, label
from .roles import PLANNING_ROLES as ROLES  # short: every view here uses it
from .tasks import PROJECTION_IMPORT, import_projection_task

IMPORT_NOT_STARTED = gettext_noop("The import could not be started. Nothing was stored.")
MAX_COMPARED = 4


def _get_run(request, run_id):
    """The access helper for runs: only the user's own municipality's runs exist for them."""
    return get_object_or_404(
        PlanningRun.objects.select_related("dataset"), pk=run_id, municipality_id=request.user.municipality_id
    )


def _own_municipality(request):
    if request.user.municipality_id is None:
        raise Http404
    return request.user.municipality


@staff_required(*ROLES)
@require_http_methods(["GET", "POST"])
def index(request):
    municipality = _own_municipality(request)
    ps = params.load()
    form = PlanningForm(request.POST or None, parameters=ps, initial=_initial(municipality))
    form.fields["series"].queryset = _visible_series(form.fields["series"].queryset, municipality)
    if request.method == "POST" and form.is_valid():
        run = services.create_run(municipality, request.user, form.cleaned_data["series"], form.cleaned_data)
        return redirect("planning:run", run_id=run.pk)
    runs = PlanningRun.objects.filter(municipality=municipality).select_related("dataset")[:50]
    context = {
        "form": form,
        "runs": runs,
        "datasets": _visible_datasets(municipality)[:20],
        "upload_form": UploadForm(),
    }
    context["derive_form"] = DeriveForm()
    return render(request, "planning/index.html", context)


def _initial(municipality):
    """Start with the user's own municipality in the newest projection, if it is there."""
    dataset = _visible_datasets(municipality).first()
    series = dataset.series.filter(region=municipality.number).first() if dataset else None
    return {"series": series.pk} if series else {}


@staff_required(*ROLES)
@require_POST
def upload(request):
    """Check the file, keep it for the import job, and show the job's progress."""
    municipality = _own_municipality(request)  # the job belongs to the uploader's municipality
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("planning:index")
    upload = form.cleaned_data["file"]
    path = save_upload(upload, suffix=".projection")
    job = Job.objects.create(
        kind=PROJECTION_IMPORT,
        label=os.path.basename(upload.name)[:255],
        municipality=municipality,
        started_by=request.user,
        params={"name": form.cleaned_data["name"]},
    )
    try:
        enqueue(job, import_projection_task, str(path), upload=path, refused=IMPORT_NOT_STARTED)
    except JobNotStarted:
        messages.error(request, _(IMPORT_NOT_STARTED))
        return redirect("planning:index")
    return redirect("jobs:job", job_id=job.pk)


def _visible_series(queryset, municipality):
    """A projection derived from a register is its own municipality's: others do not see it."""
    return queryset.exclude(Q(dataset__origin=ProjectionDataset.Origin.REGISTER) & ~Q(region=municipality.number))


def _visible_datasets(municipality):
    return ProjectionDataset.objects.exclude(
        Q(origin=ProjectionDataset.Origin.REGISTER) & ~Q(series__region=municipality.number)
    )


@staff_required(*ROLES)
@require_POST
def derive(request):
    """Derive a population projection from the user's own municipality's register (never another's)."""
    municipality = _own_municipality(request)
    form = DeriveForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("planning:index")
    try:
        dataset, created = register_population.derive_projection(
            municipality, request.user, form.cleaned_data["horizon"]
        )
    except register_population.RegisterPopulationError as exc:
        messages.error(request, str(exc))
        return redirect("planning:index")
    if created:
        messages.success(
            request,
            _("Derived %(name)s (%(first)s–%(last)s).")
            % {"name": dataset.name, "first": dataset.first_year, "last": dataset.last_year},
        )
    else:
        messages.info(
            request, _("The register is unchanged since %(name)s: that projection is used.") % {"name": dataset.name}
        )
    return redirect("planning:index")


@staff_required(*ROLES)
def run_detail(request, run_id):
    run = _get_run(request, run_id)
    report = RunReport(run)
    tables, captions = report.tables()
    context = {
        "run": run,
        "report": report,
        "charts": report.charts(),
        "tables": tables,
        "captions": captions,
        "interventions": _intervention_summary(run),
    }
    return render(request, "planning/run.html", context)


def _intervention_summary(run):
    ps = params.load(run.parameters_on)
    out = []
    for key, choice in run.inputs.get("interventions", {}).items():
        spec = ps.interventions.get(key)
        if spec is None or choice.get("mode") == "off":
            continue
        effect, effect_param, uptake_param = services.chosen_values(spec, choice)
        out.append(
            {
                "spec": spec,
                "label": intervention_label(spec),
                "effect_label": effect_label(spec),
                "mode": choice["mode"],
                "effect": effect_param,
                "uptake": uptake_param,
                "source": effect.source,
                "optimistic": choice["mode"] in ("optimistic", "custom"),
            }
        )
    return out


@staff_required(*ROLES)
def compare(request):
    ids = [i for i in request.GET.getlist("run") if i.isdigit()][:MAX_COMPARED]
    runs = [_get_run(request, int(i)) for i in ids]
    reports = [RunReport(run) for run in runs]
    rows = _comparison_rows(reports)
    choices = PlanningRun.objects.filter(municipality_id=request.user.municipality_id)[:50]
    return render(
        request,
        "planning/compare.html",
        {"reports": reports, "rows": rows, "choices": choices, "selected": {r.pk for r in runs}},
    )


def _comparison_rows(reports):
    if not reports:
        return []
    rows = []
    for row in ("institution", "home_services", "total"):
        for measure in ("users", "staff_years", "cost") if row == "total" else ("users",):
            title = f"{MEASURES[measure]}: {label(row)}"
            rows.append((title, [_cell(report, row, measure) for report in reports]))
    return rows


def _cell(report, row, measure):
    return report.headline(row, measure) if row in report.index else None


def _download(run, content, content_type, extension):
    response = HttpResponse(content, content_type=content_type)
    name = slugify(f"trappa-{run.region_name}-{run.name}-{run.pk}")
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


@staff_required(*ROLES)
def export_csv(request, run_id):
    run = _get_run(request, run_id)
    return _download(run, exports.to_csv(run), "text/csv; charset=utf-8", "csv")


@staff_required(*ROLES)
def export_xlsx(request, run_id):
    run = _get_run(request, run_id)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(run, exports.to_xlsx(run), xlsx, "xlsx")


@staff_required(*ROLES)
def export_pdf(request, run_id):
    run = _get_run(request, run_id)
    return _download(run, exports.to_pdf(run, request), "application/pdf", "pdf")


@staff_required(*ROLES)
def run_sensitivity(request, run_id):
    """The tornado of a run: the last year's difference with each parameter at the ends of its range."""
    run = _get_run(request, run_id)
    return render(request, "planning/sensitivity.html", {"run": run, "sensitivity": explain.run_sensitivity(run)})


@staff_required(*ROLES)
@require_http_methods(["GET", "POST"])
def reconcile(request):
    """Another model's result next to Trappa's runs, with what one would have to believe to reproduce it."""
    municipality = _own_municipality(request)
    runs = PlanningRun.objects.filter(municipality=municipality).select_related("dataset")
    form = ReconciliationForm(request.POST or None, runs=runs)
    if request.method == "POST" and form.is_valid():
        rec = form.save(commit=False)
        rec.municipality = municipality
        rec.created_by = request.user
        rec.save()
        return redirect("planning:reconcile")
    shown = []
    for rec in Reconciliation.objects.filter(municipality=municipality).select_related("run__dataset")[:10]:
        compared = [run for run in runs if run.region == rec.run.region and rec.year in run.results.get("years", [])]
        compared = compared[:MAX_COMPARED]
        shown.append({"rec": rec, "runs": compared, "rows": explain.reconciliation(rec, compared)})
    return render(request, "planning/reconcile.html", {"form": form, "reconciliations": shown})


@staff_required(*ROLES)
def kostra_comparison(request):
    """Our use of care by KOSTRA's age groups next to the country's (the KOSTRA group's is not reachable here)."""
    municipality = _own_municipality(request)
    return render(request, "planning/kostra.html", {"comparison": kostra.comparison(municipality, params.load())})
