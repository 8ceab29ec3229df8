"""A national shared service: every municipality's register in one PostgreSQL database.

Each of Norway's 356 municipalities of 2021 (benchmarks/data/municipalities_2021.csv, SSB table 07459,
5,391,369 residents) gets a synthetic register of its real size (BENCH_NATIONAL_SCALE to take a share of
each, at least one resident): the generator with Oslo's areas and the municipality's own number
(`generate(..., areas_of="0301")`), seed = its place in the file. In a fresh, migrated PostgreSQL database
(trappa_bench_national) one child process creates the municipalities, imports every persons file one after
another through `import_persons` (the largest last, into the full database), measures the database's size,
builds every municipality's outreach worklist (Vefsn's rule file applied to each), and times the worklist
page and a person page for a nurse of a small municipality and of the largest, with Django's test client
in-process. The same two municipalities are then imported, built and measured again alone in a second fresh
database, for comparison. Both databases are dropped at the end.

    BENCH_NATIONAL_SCALE=0.01 python -m benchmarks.run national   # 1 % of every register, for a quick look
"""

import datetime
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._postgres import DATABASE_PREFIX, ROOT, child_env, fresh_database, migrate
from benchmarks._statbank import municipalities
from benchmarks.outreach import REPEAT, _percentiles
from trappa.demo.generator import generate

SCALE = float(os.environ.get("BENCH_NATIONAL_SCALE", "1"))
SMALL = os.environ.get("BENCH_NATIONAL_SMALL", "1151")  # Utsira, Norway's smallest municipality
AREAS_OF = "0301"  # the generator's data for Oslo: the largest set of areas it knows
RULES_OF = "vefsn"  # whose outreach rule file every municipality gets
DATABASE = "trappa_bench_national"
CHILD_TIMEOUT = 4 * 3600


def sizes(scale=SCALE, table=None):
    """[(number, name, residents)]: every municipality at `scale` of its 2021 size, at least one resident."""
    return [(number, name, max(1, round(residents * scale))) for number, name, residents in table or municipalities()]


def import_order(plan):
    """The largest municipality last, so that its import is timed against the full database."""
    largest = max(plan, key=lambda m: m[2])
    return [m for m in plan if m is not largest] + [largest]


def write_registers(folder, plan, as_of):
    """Generate and write each municipality's files under folder/<number>/; [{number, name, residents, rows}]."""
    written = []
    for place, (number, name, residents) in enumerate(plan):
        seed = place
        population = generate(residents, seed=seed, municipality=number, as_of=as_of, areas_of=AREAS_OF)
        population.write(Path(folder) / number)
        rows = len(population.persons["national_id"])
        written.append({"number": number, "name": name, "residents": residents, "rows": rows, "seed": seed})
    return written


def run():
    plan = import_order(sizes())
    small = next(m for m in plan if m[0] == SMALL)
    largest = plan[-1]
    with tempfile.TemporaryDirectory(prefix="trappa-bench-national-") as folder:
        started = time.monotonic()
        written = write_registers(folder, plan, datetime.date.today())
        generated = time.monotonic() - started
        with fresh_database(DATABASE) as url:
            migrated = migrate(url, CHILD_TIMEOUT, synthetic_ids=True)
            national = _in_child(url, folder, written, [small[0], largest[0]])
        alone = [w for w in written if w["number"] in (small[0], largest[0])]
        with fresh_database(DATABASE + "_alone") as url:
            migrate(url, CHILD_TIMEOUT, synthetic_ids=True)
            by_themselves = _in_child(url, folder, alone, [small[0], largest[0]])
    return _section(written, generated, migrated, national, by_themselves, small[0], largest[0])


def _in_child(url, folder, written, measured):
    """Run the child against the database; its progress goes to this process's stderr, its result is JSON."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({"folder": str(folder), "municipalities": written, "measured": measured}, handle)
    try:
        command = [sys.executable, "-m", "benchmarks.national", "child", handle.name]
        result = subprocess.run(  # noqa: S603 - our own module, fixed arguments
            command, cwd=ROOT, env=child_env(url, synthetic_ids=True), timeout=CHILD_TIMEOUT, stdout=subprocess.PIPE
        )
    finally:
        os.unlink(handle.name)
    if result.returncode:
        raise RuntimeError("the national benchmark's child failed (its error is above)")
    return json.loads(result.stdout.decode().strip().splitlines()[-1])


# -- the section ------------------------------------------------------------------------------------------------


def _section(written, generated, migrated, t, alone, small, largest):
    residents = sum(w["residents"] for w in written)
    rows = sum(w["rows"] for w in written)
    names = {w["number"]: w["name"] for w in written}
    imports, builds = t["imports"], t["builds"]
    imported = sum(i["seconds"] for i in imports.values())
    built = sum(b["seconds"] for b in builds.values())
    under = [i["seconds"] for n, i in imports.items() if next(w for w in written if w["number"] == n)["rows"] < 5000]
    size = t["size"]
    per_resident = (size["database"] - size["empty"]) / residents
    scale = "their real size" if SCALE == 1 else f"{SCALE:g} of their real size (at least one resident)"
    lines = [
        "## A national shared service: every municipality in one database",
        "",
        f"All {len(written)} municipalities of 2021 with registers of {scale}: {residents:,} residents, {rows:,} "
        "person rows with the recently deceased, the moved out and caregivers living elsewhere. Sizes are SSB's "
        "population on 1 January 2021 (table 07459, `benchmarks/data/municipalities_2021.csv`, 5,391,369 "
        "residents); the issue's 357 municipalities and 5.6 million residents are 2024's (Ålesund and Haram "
        "split in 2024), so this uses 2021's real figures, about 4 % fewer. The registers are synthetic: the "
        "generator knows areas for three municipalities only, so each is generated with Oslo's areas and "
        'streets and the municipality\'s own number (`generate(..., areas_of="0301")`, its own seed). Only '
        "the persons file is imported (no decisions or relations). Vefsn's outreach rule file is applied to "
        "every municipality (each rule file is a municipality's own; a copy under each one's name). One child "
        f"process against a fresh database (`{DATABASE_PREFIX}{DATABASE}`) imported every file one after "
        f"another with `import_persons`, {names[largest]} ({largest}) last, into the full database.",
        "",
        "| step | rows | seconds | rows per second |",
        "|---|---:|---:|---:|",
        _row("Generate and write every municipality's files (NumPy)", rows, generated),
        _row("`migrate` the empty database", None, migrated),
        _row(f"Create the {len(written)} municipalities and their units", None, t["create"]),
        _row(f"`import_persons`, all {len(imports)} files one after another", rows, imported),
        _row(
            f"… {names[largest]} ({largest}), the largest, last", imports[largest]["rows"], imports[largest]["seconds"]
        ),
        _row(f"… {names[small]} ({small}), a small one", imports[small]["rows"], imports[small]["seconds"]),
        f"| … median of the {len(under)} files under 5,000 rows | | {statistics.median(under or [0]):.2f} | |",
        _row("`ANALYZE` after the imports", None, t["analyze"]),
        f"| `build_worklist` for every municipality, one after another ({t['on_list']:,} on the worklists) | "
        f"{rows:,} | {built:.1f} | |",
        f"| … {names[largest]} ({builds[largest]['on_list']:,} on the list) | | {builds[largest]['seconds']:.2f} | |",
        f"| … {names[small]} ({builds[small]['on_list']:,} on the list) | | {builds[small]['seconds']:.2f} | |",
        "",
        f"Nightly work for the whole country, one municipality after another: {imported + built:,.0f} s "
        f"({(imported + built) / 60:.1f} min) for the persons imports and the worklist builds.",
        "",
        f"Database size after the imports and builds: {_gb(size['database'])} (the migrated empty database "
        f"{_mb(size['empty'])}), {per_resident / 1024:.1f} KiB per resident ({per_resident * 1e6 / 1e9:.1f} GB "
        "per million). The largest tables (with their indexes and TOAST) and indexes:",
        "",
        "| table | total size | | index | size |",
        "|---|---:|---|---|---:|",
        *(
            f"| `{a[0]}` | {_mb(a[1])} | | `{b[0]}` | {_mb(b[1])} |"
            for a, b in zip(size["tables"], size["indexes"], strict=False)
        ),
        "",
        f"The pages for a nurse of the municipality's holding unit (Django's test client in-process, server time "
        f"without the network, {REPEAT} requests each after one warm-up, milliseconds), in the national database "
        f"and in a database holding only these two municipalities ({names[small]} and {names[largest]}, the same "
        "files), built the same way in the same run:",
        "",
        "| page | municipality | national p50 | national p95 | alone p50 | alone p95 |",
        "|---|---|---:|---:|---:|---:|",
        *(
            f"| {page} | {names[number]} ({number}) | {_ms(t, number, page)} | {_ms(alone, number, page)} |"
            for number in (small, largest)
            for page in ("worklist", "person page")
        ),
        "",
        f"Alone, {names[largest]}'s import took {alone['imports'][largest]['seconds']:.1f} s (national, last: "
        f"{imports[largest]['seconds']:.1f} s) and its worklist build {alone['builds'][largest]['seconds']:.2f} s "
        f"(national: {builds[largest]['seconds']:.2f} s).",
    ]
    return "\n".join(lines)


def _ms(result, number, page):
    found = result["pages"].get(number, {}).get(page)
    return f"{found['p50']:.0f} | {found['p95']:.0f}" if found else "– | –"


def _row(step, rows, seconds):
    rate = f"{rows / seconds:,.0f}" if rows and seconds else ""
    return f"| {step} | {f'{rows:,}' if rows else ''} | {seconds:.1f} | {rate} |"


def _mb(size):
    return f"{size / 1e6:,.0f} MB"


def _gb(size):
    return f"{size / 1e9:,.1f} GB"


# -- the child: Django against the benchmark database ----------------------------------------------------------


def _child(plan_path):
    import django

    django.setup()
    from django.db import connection

    plan = json.loads(Path(plan_path).read_text())
    with tempfile.TemporaryDirectory(prefix="trappa-bench-national-rules-") as rules_dir:
        print(json.dumps(measure(connection, plan, Path(rules_dir))))


def measure(connection, plan, rules_dir):
    """Everything the child times, in order; the size only on PostgreSQL."""
    from trappa.outreach import rules

    result = {"size": {"empty": _database_size(connection)}}
    rules.DATA_DIR = rules_dir  # every municipality's rule file is RULES_OF's (below)
    started = time.monotonic()
    created = create_municipalities(plan["municipalities"], rules_dir)
    result["create"] = time.monotonic() - started
    result["imports"] = import_all(plan["folder"], created)
    started = time.monotonic()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    result["analyze"] = time.monotonic() - started
    result["builds"] = build_all(created)
    result["on_list"] = sum(b["on_list"] for b in result["builds"].values())
    result["pages"] = {number: pages(created[number]) for number in plan["measured"]}
    result["size"].update(_sizes(connection))
    return result


def create_municipalities(written, rules_dir):
    """{number: Municipality}, each with the unit its rule file names and a copy of RULES_OF's rule file."""
    from django.utils.text import slugify

    from trappa.accounts.models import Municipality, Unit
    from trappa.outreach import rules

    shipped = ROOT / "data" / "outreach"
    source = (shipped / RULES_OF / "rules.toml").read_text(encoding="utf-8")
    unit = rules.load(RULES_OF, shipped).unit
    created = {}
    for w in written:
        slug = f"{slugify(w['name'])}-{w['number']}"
        (rules_dir / slug).mkdir()
        (rules_dir / slug / "rules.toml").write_text(source, encoding="utf-8")
        municipality = Municipality.objects.create(number=w["number"], name=w["name"], slug=slug)
        Unit.objects.create(municipality=municipality, code=unit, name="Helsetjenesten")
        created[w["number"]] = municipality
    return created


def import_all(folder, created):
    """{number: {seconds, rows, status}}: each persons file through import_persons, one after another."""
    from django.core.management import call_command

    from trappa.people.models import ImportBatch

    done = {}
    for count, (number, municipality) in enumerate(created.items(), start=1):
        path = Path(folder) / number / "persons.csv"
        started = time.monotonic()
        call_command("import_persons", str(path), "--municipality", number, stdout=io.StringIO())
        seconds = time.monotonic() - started
        batch = ImportBatch.objects.filter(municipality=municipality).latest("id")
        done[number] = {"seconds": seconds, "rows": batch.rows, "status": batch.status}
        if count % 25 == 0 or count == len(created):
            print(f"national: imported {count} of {len(created)} ({number}: {seconds:.1f} s)", file=sys.stderr)
    return done


def build_all(created):
    """{number: {seconds, on_list}}: every municipality's worklist build, one after another."""
    from trappa.outreach import worklist

    today = datetime.date.today()
    built = {}
    for number, municipality in created.items():
        started = time.monotonic()
        summary = worklist.build(municipality, today)
        built[number] = {"seconds": time.monotonic() - started, "on_list": summary.on_list}
    print(f"national: built {len(built)} worklists", file=sys.stderr)
    return built


def pages(municipality):
    """{page: {p50, p95}} in milliseconds for a nurse of the holding unit; the person page for the first
    person on the worklist (none if the list is empty)."""
    from django.test import Client

    from trappa.accounts.middleware import STRONG_LOGIN_SESSION_KEY
    from trappa.accounts.models import Role, Unit, User
    from trappa.outreach import listing
    from trappa.outreach.models import WorklistEntry

    unit = Unit.objects.get(municipality=municipality)
    nurse = User.objects.create(
        username=f"bench-nurse-{municipality.number}", role=Role.NURSE, municipality=municipality, unit=unit
    )
    client = Client()
    client.force_login(nurse)
    session = client.session
    session[STRONG_LOGIN_SESSION_KEY] = True  # as after a strong OpenID Connect login: two-factor stays on
    session.save()
    found = {"worklist": _percentiles(_getter(client, "/outreach/"))}
    first = WorklistEntry.objects.filter(municipality=municipality).order_by(*listing.ENTRY_ORDER).first()
    if first:
        found["person page"] = _percentiles(_getter(client, f"/people/{first.person_id}/"))
    return found


def _getter(client, path):
    def get():
        response = client.get(path, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")

    return get


def _database_size(connection):
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def _sizes(connection, top=8):
    """The database's size and its largest tables (with indexes and TOAST) and indexes, in bytes."""
    if connection.vendor != "postgresql":
        return {"database": 0, "tables": [], "indexes": []}
    largest = (
        "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind = %s ORDER BY 2 DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(largest, ["r", top])
        tables = cursor.fetchall()
        cursor.execute(largest, ["i", top])
        indexes = cursor.fetchall()
    return {"database": _database_size(connection), "tables": tables, "indexes": indexes}


if __name__ == "__main__" and sys.argv[1:2] == ["child"]:
    _child(sys.argv[2])
