"""Between Django and the engine: stored data in, arrays out, results back as JSON."""

import hashlib
import time

import numpy as np
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from . import params
from .calibration import register_calibration
from .engine import project
from .models import PlanningRun, PopulationSeries, ProjectionDataset
from .modelspec import build_inputs, build_scenario, chosen_values
from .ssb import SsbFormatError, read_file, read_path

__all__ = [
    "build_inputs",
    "build_scenario",
    "chosen_values",
    "compute",
    "create_run",
    "import_projection",
    "import_projection_file",
    "import_projection_path",
    "rerun",
]
SERIES = ("baseline", "scenario", "difference")


# Progress stages of a projection import (English source strings, translated when shown).
READING = gettext_noop("Reading the projection file")
STORING = gettext_noop("Storing the municipalities")
STORE_BATCH = 25  # municipalities per INSERT: a national file is 357 of them, about 70 kB each


def import_projection(name, file_name, content, user=None, synthetic=False):
    """Store a projection file; the same file twice gives the stored dataset back."""
    return import_projection_file(name, file_name, content, user=user, synthetic=synthetic)[0]


@transaction.atomic
def import_projection_file(name, file_name, content, user=None, synthetic=False, progress=None):
    """Store a projection file all or nothing: (dataset, created).

    The same file (by SHA-256) twice gives the stored dataset and created=False.
    A file the reader cannot read raises SsbFormatError before anything is
    written. `progress`, if given, is told the stage (reading, then storing
    per municipality), as jobs' JobProgress and the terminal's progress bar are.
    """
    digest = hashlib.sha256(content).hexdigest()
    return _import(name, file_name, digest, lambda: read_file(file_name, content), user, synthetic, progress)


def import_projection_path(name, path, user=None, synthetic=False, progress=None, file_name=None):
    """import_projection_file for a file on disk, read as a stream (a 200 MB CSV in bounded memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1024 * 1024):
            digest.update(block)
    file_name = file_name or path.name
    return _import(name, file_name, digest.hexdigest(), lambda: read_path(path), user, synthetic, progress)


@transaction.atomic
def _import(name, file_name, digest, read, user, synthetic, progress):
    report = progress.update if progress else lambda done, total, stage: None
    existing = ProjectionDataset.objects.filter(sha256=digest).first()
    if existing:
        return existing, False
    report(0, 1, READING)
    table = read()  # raises SsbFormatError before anything is written
    if list(table.years) != list(range(table.years[0], table.years[-1] + 1)):
        raise SsbFormatError("the projection must cover consecutive years")
    report(1, 1, READING)
    try:
        with transaction.atomic():  # a savepoint: another import of the same file may have just committed
            dataset = ProjectionDataset.objects.create(
                name=name,
                title=table.title[:300],
                file_name=file_name[:255],
                sha256=digest,
                alternatives=list(table.alternatives),
                first_year=table.years[0],
                last_year=table.years[-1],
                synthetic=synthetic,
                imported_by=user,
            )
    except IntegrityError:
        return ProjectionDataset.objects.get(sha256=digest), False
    dataset.renumbered = table.renumbered  # reported, not stored: old numbers read under today's
    regions = list(table.regions)
    report(0, len(regions), STORING)
    for start in range(0, len(regions), STORE_BATCH):
        batch = regions[start : start + STORE_BATCH]
        PopulationSeries.objects.bulk_create(
            PopulationSeries(
                dataset=dataset,
                region=region,
                region_name=table.region_names[region],
                data=PopulationSeries.pack(table.series(region)),
            )
            for region in batch
        )
        report(start + len(batch), len(regions), STORING)
    return dataset, True


def create_run(municipality, user, series, cleaned, on=None):
    """Compute and store a run from the planning form's cleaned data."""
    on = on or timezone.localdate()
    ps = params.load(on)
    calibration = register_calibration(municipality, series.region, ps, on, cleaned["rate_source"])
    run = PlanningRun(
        municipality=municipality,
        created_by=user,
        name=cleaned["name"],
        dataset=series.dataset,
        region=series.region,
        region_name=series.region_name,
        inputs=_json_inputs(cleaned),
        parameters_on=on,
        parameter_versions=ps.versions,
        parameter_checksums=ps.checksums,
        calibration=calibration,
        seed=cleaned["seed"],
        draws=cleaned["draws"],
    )
    compute(run, series, ps)
    run.save()
    return run


def _json_inputs(cleaned):
    keep = ("horizon", "rate_source", "interventions")
    return {k: cleaned[k] for k in keep}


def compute(run, series=None, ps=None):
    """Fill run.results from the run's stored inputs alone."""
    series = series or PopulationSeries.objects.get(dataset=run.dataset, region=run.region)
    ps = ps or params.load(run.parameters_on)
    started = time.perf_counter()
    inputs, scenario = build_model(run, series, ps)
    projection = project(inputs, scenario, seed=run.seed, draws=run.draws)
    run.seconds = time.perf_counter() - started
    run.results = results_json(projection, inputs, ps, series.array(), run)
    return run


def build_model(run, series, ps):
    dataset = run.dataset
    horizon = run.inputs["horizon"]
    n_years = horizon - dataset.first_year + 1
    population = series.array()[:, None, :, :, :n_years]  # (A, 1, S, G, Y)
    factors = run.calibration.get("factor", {})
    calibration = np.array([[factors.get(k, 1.0) for k in ps.level_keys]])
    inputs = build_inputs(population, dataset.first_year, dataset.alternatives, ps, calibration)
    return inputs, build_scenario(run.name, run.inputs.get("interventions", {}), ps, dataset.first_year)


def results_json(projection, inputs, ps, population, run):
    """Numbers rounded for storage and display: users to 0.1, staff-years to 0.01, cost to NOK 1."""
    digits = {"users": 1, "staff_years": 2, "cost": 0}

    def table(arrays):
        return {
            measure: {s: np.round(arrays[measure][s][0].astype(float), digits[measure]).tolist() for s in SERIES}
            for measure in arrays
        }

    n_years = len(inputs.years)
    main = population[0, :, :, :n_years]  # (S, G, Y) main alternative
    out = {
        "years": inputs.years.tolist(),
        "rows": list(projection.rows),
        "central": table(projection.central),
        "population": {
            "total": main.sum(axis=(0, 1)).round().tolist(),
            "67+": main[:, 67:].sum(axis=(0, 1)).round().tolist(),
            "80+": main[:, 80:].sum(axis=(0, 1)).round().tolist(),
        },
    }
    if projection.draws:
        out.update(mean=table(projection.mean), low=table(projection.low), high=table(projection.high))
    return out


def rerun(run):
    """The same run again from its stored inputs: for checking, never saved."""
    copy = PlanningRun.objects.get(pk=run.pk)
    return compute(copy).results
