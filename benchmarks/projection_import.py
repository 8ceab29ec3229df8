"""Importing a national SSB projection file into PostgreSQL.

Builds a synthetic file the size of table 14288 for the whole country (357
municipalities x 2 sexes x 106 ages x 27 years 2024-2050 x 3 alternatives, in
SSB's json-stat2 and in StatBank's CSV with codes), creates a fresh PostgreSQL
database (trappa_bench_projection), migrates it, and imports each file through
`manage.py import_projection` in a child process, as an operator (or the
worker running the upload job, which calls the same code) would. The JSON file
is imported twice: the second time must find the stored dataset and store
nothing. The database is dropped at the end.

    python -m benchmarks.run projection_import
"""

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks._postgres import ROOT, child_env, fresh_database, migrate
from trappa.demo.samples.make_samples import ALTERNATIVES, SEXES, age_code, csv_wide, jsonstat, synthetic_projection

DATABASE = "trappa_bench_projection"
MUNICIPALITIES = 357
YEARS = list(range(2024, 2051))
CHILD_TIMEOUT = 3600


def national_values():
    """(R, 2, 106, 1, Y, A) in SSB's dimension order; municipality numbers 9001.. (none renumbered)."""
    regions = [f"9{i:03d}" for i in range(1, MUNICIPALITIES + 1)]
    names = {r: f"Kommune {r}" for r in regions}
    sizes = np.random.default_rng(0).lognormal(np.log(6000), 1.0, MUNICIPALITIES)
    values = np.zeros((MUNICIPALITIES, 2, 106, 1, len(YEARS), 3))
    for r, size in enumerate(sizes):
        values[r, :, :, 0, :, :] = synthetic_projection(float(size), YEARS, r).transpose(1, 2, 3, 0)
    return regions, names, values


def write_files(folder):
    regions, names, values = national_values()
    json_path = Path(folder) / "14288_national.json"
    json_path.write_text(json.dumps(jsonstat(regions, names, list(range(106)), YEARS, values)), encoding="utf-8")
    rows = []
    for r, s, g, a in np.ndindex(MUNICIPALITIES, 2, 106, 3):
        figures = [int(v) for v in values[r, s, g, 0, :, a]]
        rows.append([regions[r], list(SEXES)[s], age_code(g), "Personer", list(ALTERNATIVES)[a], *figures])
    header = ["Region", "Kjonn", "Alder", "ContentsCode", "Alternativ", *map(str, YEARS)]
    csv_path = Path(folder) / "14288_national.csv"
    csv_path.write_text(csv_wide(header, rows, ";"), encoding="utf-8")
    return json_path, csv_path, int(values.size)


def run():
    with tempfile.TemporaryDirectory(prefix="trappa-bench-") as folder:
        json_path, csv_path, cells = write_files(folder)
        with fresh_database(DATABASE) as url:
            migrated = migrate(url, CHILD_TIMEOUT)
            first = _import_in_child(url, json_path, "national json")
            again = _import_in_child(url, json_path, "national json again")
            from_csv = _import_in_child(url, csv_path, "national csv")
        return _section(json_path, csv_path, cells, migrated, first, again, from_csv)


def _import_in_child(url, path, name):
    command = [sys.executable, "-m", "benchmarks.projection_import", "import", str(path), name]
    result = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        command, cwd=ROOT, env=child_env(url), check=True, timeout=CHILD_TIMEOUT, capture_output=True, text=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _section(json_path, csv_path, cells, migrated, first, again, from_csv):
    def row(step, result):
        return (
            f"| {step} | {result['seconds']:.1f} | {result['read']:.1f} | {result['municipalities']} | "
            f"{result['peak_mib']:,.0f} |"
        )

    return "\n".join(
        [
            "## Population projection import into PostgreSQL",
            "",
            f"A synthetic national table 14288 ({MUNICIPALITIES} municipalities x 2 sexes x 106 ages x {len(YEARS)} "
            f"years {YEARS[0]}-{YEARS[-1]} x 3 alternatives: {cells:,} figures), as json-stat2 "
            f"({json_path.stat().st_size / 1e6:.0f} MB) and as CSV with codes "
            f"({csv_path.stat().st_size / 1e6:.0f} MB). "
            f"Imported into a fresh, migrated PostgreSQL database (`{DATABASE}`, created and dropped by the run; "
            f"`migrate` {migrated:.0f} s) through `manage.py import_projection`, which runs the same code as the "
            "planning page's upload job. Total is the whole command; reading is parsing and checking the file "
            "alone (timed separately in the same process); peak memory is the process's maximum resident size.",
            "",
            "| step | total seconds | reading seconds | municipalities stored | peak memory MiB |",
            "|---|---:|---:|---:|---:|",
            row("json-stat2 into an empty database", first),
            row("json-stat2 again, the same file (found by its SHA-256, nothing stored)", again),
            row("CSV with codes (the same figures)", from_csv),
        ]
    )


def _child(path, name):
    """In the child process: import `path` with the real command, print the timings as JSON."""
    import django

    django.setup()
    from django.core.management import call_command

    from trappa.planning.models import ProjectionDataset
    from trappa.planning.ssb import read_file

    content = Path(path).read_bytes()
    started = time.monotonic()
    read_file(Path(path).name, content)
    read = time.monotonic() - started
    del content
    before = ProjectionDataset.objects.count()
    started = time.monotonic()
    call_command("import_projection", path, "--name", name, stdout=sys.stderr)
    seconds = time.monotonic() - started
    stored = ProjectionDataset.objects.count() - before
    dataset = ProjectionDataset.objects.latest("id")
    result = {
        "seconds": seconds,
        "read": read,
        "municipalities": dataset.series.count() if stored else 0,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(json.dumps(result))


if __name__ == "__main__" and sys.argv[1:2] == ["import"]:
    _child(sys.argv[2], sys.argv[3])
