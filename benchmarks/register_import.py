"""The register import on PostgreSQL at Oslo's size, beside a bare COPY.

Generates a synthetic municipality of 700,000 residents (BENCH_RESIDENTS to
change it), creates a fresh PostgreSQL database (trappa_bench), migrates it, and
imports the persons file through the real importer (`manage.py import_persons`)
twice: into an empty register, then the same file again, which must change
nothing. In the same run it loads the same file with PostgreSQL's own COPY into
a plain table: the floor no importer that validates and keeps history can beat;
and into an empty copy of the person table with its indexes (and with its foreign
key): the floor for any writer of that table.
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
# Also time the row-by-row second pass (the import before copy_merge) on the same file: doubles the run.
ROW_BY_ROW = os.environ.get("BENCH_ROW_BY_ROW", "") == "1"
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
            timings["indexed_copy"], _rows = indexed_copy(url, persons)
            timings["keyed_copy"], _rows = indexed_copy(url, persons, foreign_keys=True)
        before = None
        if ROW_BY_ROW:
            # The same file through the row-by-row second pass (as before copy_merge), for comparison.
            with fresh_database(DATABASE + "_rows") as url:
                migrate(url, CHILD_TIMEOUT, synthetic_ids=True)
                before = (_import_in_child(url, persons, "rows"), _import_in_child(url, persons, "rows"))
        return _section(population, persons, timings, first, again, copied, before)


def _import_in_child(url, path, mode="copy"):
    command = [sys.executable, "-m", "benchmarks.register_import", "import", str(path), mode]
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


def indexed_copy(url, path, foreign_keys=False):
    """COPY the persons file into an empty copy of the person table with its indexes (and, if asked, its foreign
    key): what the writes alone cost, without any check or merge; (seconds, rows).

    The columns the file lacks take the register's values as defaults (the municipality, the time)."""
    table = "indexed_persons_fk" if foreign_keys else "indexed_persons"
    text = [c for c in PERSON_COLUMNS if c not in DATE_COLUMNS | BOOL_COLUMNS]
    with psycopg.connect(url) as conn:
        municipality = conn.execute(
            "SELECT id FROM accounts_municipality WHERE number = %s", [MUNICIPALITY[0]]
        ).fetchone()[0]
        conn.execute(sql.SQL("CREATE TABLE {} (LIKE people_person INCLUDING ALL)").format(sql.Identifier(table)))
        conn.execute(
            sql.SQL(
                "ALTER TABLE {} ALTER municipality_id SET DEFAULT {}, ALTER created_at SET DEFAULT now(), "
                "ALTER updated_at SET DEFAULT now()"
            ).format(sql.Identifier(table), sql.Literal(municipality))
        )
        if foreign_keys:
            conn.execute(
                sql.SQL(
                    "ALTER TABLE {} ADD FOREIGN KEY (municipality_id) REFERENCES accounts_municipality (id) "
                    "DEFERRABLE INITIALLY DEFERRED"
                ).format(sql.Identifier(table))
            )
        conn.commit()
        copy_sql = sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv, HEADER true, FORCE_NOT_NULL ({}))").format(
            sql.Identifier(table),
            sql.SQL(", ").join(map(sql.Identifier, PERSON_COLUMNS)),
            sql.SQL(", ").join(map(sql.Identifier, text)),
        )
        started = time.monotonic()
        with conn.cursor() as cursor, open(path, "rb") as handle:
            with cursor.copy(copy_sql) as copy:
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
        conn.commit()
        seconds = time.monotonic() - started
        rows = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()[0]
    return seconds, rows


def _pg_type(column):
    if column in DATE_COLUMNS:
        return "date"
    if column in BOOL_COLUMNS:
        return "boolean"
    return "text"


def _section(population, persons, timings, first, again, copied, before=None):
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
        _row("`COPY` into an empty copy of the person table with its indexes", copied, timings["indexed_copy"]),
        _row("`COPY` into an empty copy with its indexes and foreign key", copied, timings["keyed_copy"]),
        "",
        f"The importer (checking every row, comparing with the register, writing history and an import report) "
        f"runs at {first['rows'] / first['seconds'] / (copied / timings['copy']):.1%} of bare COPY's speed on "
        f"the first import; COPY is {first['seconds'] / timings['copy']:.0f} times faster.",
        "",
        "| import | seconds | times bare COPY | times COPY into the indexed copy | goal |",
        "|---|---:|---:|---:|---|",
        _ratios("first import", first["seconds"], timings, 3),
        _ratios("the same file again", again["seconds"], timings, 2),
        "",
        f"The physical references, in the same run: a `COPY` of the same file into an empty copy of the person "
        f"table with its indexes (`CREATE TABLE ... (LIKE people_person INCLUDING ALL)`) takes "
        f"{timings['indexed_copy'] / timings['copy']:.1f} times a bare COPY, and with the foreign key too "
        f"{timings['keyed_copy'] / timings['copy']:.1f} times: that much of the 3 × goal for a first import goes "
        "to writing the rows into the person table's indexes alone, before any check, comparison or history.",
    ]
    if before:
        lines += [
            "",
            "The same file through the row-by-row second pass (the import as it was before the COPY and "
            "set-based merge, `trappa/people/importing/copy_merge.py`), in the same run, into a second fresh "
            "database:",
            "",
            "| import | row by row, seconds | COPY and merge, seconds | faster |",
            "|---|---:|---:|---:|",
            f"| first import | {before[0]['seconds']:.1f} | {first['seconds']:.1f} | "
            f"{before[0]['seconds'] / first['seconds']:.1f} × |",
            f"| the same file again | {before[1]['seconds']:.1f} | {again['seconds']:.1f} | "
            f"{before[1]['seconds'] / again['seconds']:.1f} × |",
        ]
    lines += [
        "",
        "Each row is read and checked once, in bulk (`trappa/people/importing/bulk.py`: the national identity "
        "numbers' check digits and birth dates, the dates and the rules between them with NumPy over whole "
        "columns, codes through a table of their distinct values, names checked as a column); only a file with "
        "a problem is read again row by row, so that every problem is named by line and column. The checked "
        "rows go by COPY into a staging table, which is joined once with the person table for the changes and "
        "the counts (`trappa/people/importing/copy_merge.py`; a first import joins nothing). What remains above "
        "a bare COPY: Python's reading of the CSV and the checks, the writes into the indexed person table (the "
        "references above), and a command's fixed cost (its import record, the lock, the commit, the refreshed "
        "planner statistics), which weighs most on a small file.",
    ]
    return "\n".join(lines)


def _ratios(name, seconds, timings, goal):
    bare, indexed = seconds / timings["copy"], seconds / timings["indexed_copy"]
    met = "met" if bare <= goal else "missed"
    return f"| {name} | {seconds:.1f} | {bare:.1f} | {indexed:.1f} | within {goal} × bare COPY ({met}) |"


def _row(step, rows, seconds):
    rate = f"{rows / seconds:,.0f}" if rows else ""
    return f"| {step} | {f'{rows:,}' if rows else ''} | {seconds:.1f} | {rate} |"


def _outcome(result):
    return f"{result['status']}: {result['created']:,} created, {result['updated']:,} updated, " + (
        f"{result['unchanged']:,} unchanged"
    )


def _child(path, mode):
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
    if mode == "rows":
        from trappa.people.importing import copy_merge

        copy_merge.handles = lambda importer: False
    started = time.monotonic()
    call_command("import_persons", path, "--municipality", MUNICIPALITY[0], stdout=sys.stderr)
    seconds = time.monotonic() - started
    batch = ImportBatch.objects.latest("id")
    result = {"seconds": seconds, "rows": batch.rows, "status": batch.status}
    result.update({k: getattr(batch, k) for k in ("created", "updated", "unchanged")})
    print(json.dumps(result))


if __name__ == "__main__" and sys.argv[1:2] == ["import"]:
    _child(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "copy")
