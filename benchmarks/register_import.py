"""The register import on PostgreSQL at Oslo's size, beside a bare COPY.

Generates a synthetic municipality of 700,000 residents (BENCH_RESIDENTS to
change it), creates a fresh PostgreSQL database (trappa_bench), migrates it, and
imports the persons file through the real importer (`manage.py import_persons`)
twice: into an empty register, then the same file again, which must change
nothing. In the same run it loads the same file with PostgreSQL's own COPY into
a plain table: the floor no importer that validates and keeps history can beat.
The database is dropped at the end.

The import runs in a child process with the database's DATABASE_URL, exactly as
an operator would run it; the child times only the command itself.

    python -m benchmarks.run register_import
"""

import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

from benchmarks._postgres import DATABASE_PREFIX, ROOT, child_env, fresh_database, migrate
from trappa.demo.generator import PERSON_COLUMNS, generate

DATABASE = "trappa_bench"
RESIDENTS = int(os.environ.get("BENCH_RESIDENTS", "700000"))
MUNICIPALITY = ("0301", "Oslo")
CHILD_TIMEOUT = 3 * 3600

DATE_COLUMNS = {"birth_date", "marital_status_date", "date_of_death", "date_moved_out"}
BOOL_COLUMNS = {"living_alone", "interpreter_needed"}


def run():
    with tempfile.TemporaryDirectory(prefix="trappa-bench-") as folder:
        timings = {}
        started = time.monotonic()
        population = generate(RESIDENTS, seed=0, municipality=MUNICIPALITY[0], as_of=datetime.date.today())
        timings["generate"] = time.monotonic() - started
        started = time.monotonic()
        paths = population.write(Path(folder))
        timings["write"] = time.monotonic() - started
        persons = paths["persons"]
        with fresh_database(DATABASE) as url:
            timings["migrate"] = migrate(url, CHILD_TIMEOUT, synthetic_ids=True)
            first = _import_in_child(url, persons)
            again = _import_in_child(url, persons)
            timings["copy"], copied = bare_copy(url, persons)
        return _section(population, persons, timings, first, again, copied)


def _import_in_child(url, path):
    command = [sys.executable, "-m", "benchmarks.register_import", "import", str(path)]
    result = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        command,
        cwd=ROOT,
        env=child_env(url, synthetic_ids=True),
        check=True,
        timeout=CHILD_TIMEOUT,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def bare_copy(url, path):
    """COPY the persons file into a plain table (no validation, no index); (seconds, rows)."""
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(_pg_type(c))) for c in PERSON_COLUMNS
    )
    with psycopg.connect(url) as conn:
        conn.execute(sql.SQL("CREATE TABLE bare_persons ({})").format(columns))
        conn.commit()
        started = time.monotonic()
        with conn.cursor() as cursor, open(path, "rb") as handle:
            with cursor.copy("COPY bare_persons FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
        conn.commit()
        seconds = time.monotonic() - started
        rows = conn.execute("SELECT count(*) FROM bare_persons").fetchone()[0]
    return seconds, rows


def _pg_type(column):
    if column in DATE_COLUMNS:
        return "date"
    if column in BOOL_COLUMNS:
        return "boolean"
    return "text"


def _section(population, persons, timings, first, again, copied):
    rows = len(population.persons["national_id"])
    counts = population.counts
    megabytes = persons.stat().st_size / 1e6
    lines = [
        "## Register import into PostgreSQL",
        "",
        f"A synthetic municipality of {counts['residents']:,} residents (the generator, seed 0, Oslo's areas), whose "
        f"persons file also holds {counts['deceased']:,} recently deceased, {counts['moved_out']:,} moved out and "
        f"{counts['living_elsewhere']:,} caregivers living elsewhere: {rows:,} rows, {megabytes:.0f} MB. Imported "
        f"into a fresh, migrated PostgreSQL database (`{DATABASE_PREFIX}{DATABASE}`, created and dropped by the run) "
        "through "
        "`manage.py import_persons`, and copied with a bare `COPY` in the same run.",
        "",
        "| step | rows | seconds | rows per second |",
        "|---|---:|---:|---:|",
        _row("Generate the population (NumPy)", counts["persons"], timings["generate"]),
        _row("Write persons, decisions and relations as CSV", counts["persons"], timings["write"]),
        _row("`migrate` the empty database", None, timings["migrate"]),
        _row(f"`import_persons` into an empty register ({_outcome(first)})", first["rows"], first["seconds"]),
        _row(f"`import_persons` again, the same file ({_outcome(again)})", again["rows"], again["seconds"]),
        _row("Bare PostgreSQL `COPY` into a plain table (no checks, no index)", copied, timings["copy"]),
        "",
        f"The importer (checking every row, comparing with the register, writing history and an import report) "
        f"runs at {first['rows'] / first['seconds'] / (copied / timings['copy']):.1%} of bare COPY's speed on "
        f"the first import; COPY is {first['seconds'] / timings['copy']:.0f} times faster.",
        "",
        "| import | seconds | times bare COPY | goal |",
        "|---|---:|---:|---|",
        f"| first import | {first['seconds']:.1f} | {first['seconds'] / timings['copy']:.1f} | within 3 × "
        f"({'met' if first['seconds'] <= 3 * timings['copy'] else 'missed'}) |",
        f"| the same file again | {again['seconds']:.1f} | {again['seconds'] / timings['copy']:.1f} | within 2 × "
        f"({'met' if again['seconds'] <= 2 * timings['copy'] else 'missed'}) |",
    ]
    return "\n".join(lines)


def _row(step, rows, seconds):
    rate = f"{rows / seconds:,.0f}" if rows else ""
    return f"| {step} | {f'{rows:,}' if rows else ''} | {seconds:.1f} | {rate} |"


def _outcome(result):
    return f"{result['status']}: {result['created']:,} created, {result['updated']:,} updated, " + (
        f"{result['unchanged']:,} unchanged"
    )


def _child(path):
    """In the child process: import `path` with the real command, print the timing as JSON.

    Django is imported here, not at the top, because only the child sets it up
    (against the benchmark database); the parent never configures Django.
    """
    import django

    django.setup()
    from django.core.management import call_command

    from trappa.accounts.models import Municipality
    from trappa.people.models import ImportBatch

    Municipality.objects.get_or_create(
        number=MUNICIPALITY[0], defaults={"name": MUNICIPALITY[1], "slug": MUNICIPALITY[1].lower()}
    )
    started = time.monotonic()
    call_command("import_persons", path, "--municipality", MUNICIPALITY[0], stdout=sys.stderr)
    seconds = time.monotonic() - started
    batch = ImportBatch.objects.latest("id")
    result = {"seconds": seconds, "rows": batch.rows, "status": batch.status}
    result.update({k: getattr(batch, k) for k in ("created", "updated", "unchanged")})
    print(json.dumps(result))


if __name__ == "__main__" and sys.argv[1:2] == ["import"]:
    _child(sys.argv[2])
