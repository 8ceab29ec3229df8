"""Pages under load with Locust (headless) against gunicorn and PostgreSQL, logged in as real roles.

Builds a fresh PostgreSQL database (trappa_bench_load) with `setup_demo` (BENCH_LOAD_RESIDENTS residents,
default the demo's own register), starts gunicorn (4 workers), and for each page and for 1 and 32
clients runs Locust for BENCH_LOAD_SECONDS (default 20) seconds: req/s and p50/p95/p99 per page.
Two-factor stays required: each Locust user is its own member of staff (benchmarks/_load_users.py) who logs
in and enrolls an authenticator through the login pages (benchmarks/locustfile.py). A row in which any user
got no successful page request fails the run (BenchmarkFailed) instead of writing an empty table.

    python -m benchmarks.run load
"""

import csv
import datetime
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

from benchmarks._postgres import ROOT, child_env, fresh_database, migrate

RESIDENTS = os.environ.get("BENCH_LOAD_RESIDENTS", "")
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "20"))
CLIENTS = (1, 32)
WORKERS = 4
LOGIN_ALLOWANCE = 180  # seconds the users may take to log in before the measured SECONDS begin
TIMEOUT = 3600


def pages(url):
    """(name, role, path) of the pages measured; the person page is someone on the nurse's worklist."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT r.person_id FROM audit_carerelationship r JOIN accounts_unit u ON u.id = r.unit_id "
            "WHERE r.kind = 'worklist' AND r.ended_at IS NULL AND u.code = 'helsetjenesten' "
            "ORDER BY r.person_id LIMIT 1"
        ).fetchone()
    return [
        ("Nurse's start page", "nurse", "/"),
        ("Worklist, first page", "nurse", "/outreach/"),
        ("Person page (on the worklist)", "nurse", f"/people/{row[0]}/"),
        ("KOSTRA comparison (planner)", "planner", "/planning/kostra/"),
    ]


def run():
    password = secrets.token_urlsafe(16)
    load_at_start = _load()
    with fresh_database("trappa_bench_load") as url, tempfile.TemporaryDirectory(prefix="trappa-bench-load-") as tmp:
        migrate(url, TIMEOUT, synthetic_ids=True)
        # The demo's plain HTTP and synthetic register, with two-factor required as in production.
        env = {**child_env(url, synthetic_ids=True), "TRAPPA_DEMO": "true", "TRAPPA_REQUIRE_TWO_FACTOR": "true"}
        command = [sys.executable, "manage.py", "setup_demo", "--password", password]
        if RESIDENTS:
            command += ["--residents", RESIDENTS]
        started = time.monotonic()
        done = subprocess.run(  # noqa: S603 - our own command, fixed arguments
            command, cwd=ROOT, env=env, check=True, timeout=TIMEOUT, capture_output=True, text=True
        )
        setup = time.monotonic() - started
        # setup_demo's "-- step: N s" lines and load_demo's "Imported persons in N s: ..." lines.
        steps = [line.strip("- ").split(": done")[0] for line in done.stdout.splitlines()]
        steps = [line.split(":")[0] if line.startswith("Imported ") else line for line in steps]
        steps = [line for line in steps if line.endswith(" s") or line.startswith("Imported ")]
        with psycopg.connect(url) as conn:
            persons = conn.execute("SELECT count(*) FROM people_person").fetchone()[0]
            on_list = conn.execute("SELECT count(*) FROM outreach_worklistentry").fetchone()[0]
        bare = bare_worklist_query(url)
        measured = pages(url)
        staff = _staff(env, measured)
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-w",
                str(WORKERS),
                "-b",
                f"127.0.0.1:{port}",
                "--timeout",
                "30",
                "trappa.wsgi",
            ],
            cwd=ROOT,
            env={**env, "ALLOWED_HOSTS": "127.0.0.1"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            host = f"http://127.0.0.1:{port}"
            _wait_for(host)
            rows = []
            for name, role, path in measured:
                for clients in CLIENTS:
                    users = [staff[role].pop() for _ in range(clients)]
                    stats = _locust(host, users, password, path, Path(tmp) / f"{len(rows)}-{role}-{clients}")
                    rows.append((name, role, clients, stats))
        finally:
            server.terminate()
            server.wait(timeout=30)
    # The file's header tells the machine, but the other sections may come from other runs: this run's own.
    when = f"{datetime.datetime.now(ZoneInfo('Europe/Oslo')):%Y-%m-%d %H:%M} (Europe/Oslo)"
    run_line = f"This run: {when}, load average (1, 5, 15 min) at the start {load_at_start}, at the end {_load()}."
    if os.environ.get("BENCH_NOTE"):
        run_line += f" Note: {os.environ['BENCH_NOTE']}."
    return _section(persons, on_list, setup, steps, bare, rows, run_line)


def bare_worklist_query(url, repeat=30):
    """The physical reference for the worklist page: its first 100 entries by a bare indexed query, p50 ms."""
    with psycopg.connect(url) as conn:
        municipality = conn.execute("SELECT id FROM accounts_municipality WHERE number = '1824'").fetchone()[0]
        query = (
            "SELECT person_id FROM outreach_worklistentry WHERE municipality_id = %s "
            "ORDER BY priority, birth_date, family_name, given_name, person_id LIMIT 100"
        )
        conn.execute(query, [municipality]).fetchall()
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            conn.execute(query, [municipality]).fetchall()
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return times[len(times) // 2]


def _staff(env, measured):
    """{role: ["username:enrollment code", ...]}: one new member of staff for every Locust user of the run."""
    wanted = {}
    for _name, role, _path in measured:
        wanted[role] = wanted.get(role, 0) + sum(CLIENTS)
    done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "benchmarks._load_users"],
        cwd=ROOT,
        env=env,
        input=json.dumps(wanted),
        check=True,
        timeout=TIMEOUT,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout)


class BenchmarkFailed(RuntimeError):
    """The load run measured nothing worth a row: say so rather than write an empty or partial table."""


def _locust(host, users, password, path, prefix):
    report = Path(f"{prefix}_users.json")
    env = {
        **os.environ,
        "BENCH_USERS": ",".join(users),
        "BENCH_PASSWORD": password,
        "BENCH_PAGE": path,
        "BENCH_SECONDS": str(SECONDS),
        "BENCH_REPORT": str(report),
    }
    command = [
        str(Path(sys.executable).parent / "locust"),
        "-f",
        str(ROOT / "benchmarks" / "locustfile.py"),
        "--headless",
        "-u",
        str(len(users)),
        "-r",
        str(len(users)),
        # The locustfile stops the run SECONDS after the last user has logged in; this is only the cap.
        "-t",
        f"{SECONDS + LOGIN_ALLOWANCE}s",
        "--host",
        host,
        "--csv",
        str(prefix),
        "--only-summary",
        "--stop-timeout",
        "5",
    ]
    done = subprocess.run(  # noqa: S603 - our own locustfile, fixed arguments
        command, cwd=ROOT, env=env, timeout=SECONDS + LOGIN_ALLOWANCE + 120, capture_output=True, text=True
    )
    try:
        return page_stats(Path(f"{prefix}_stats.csv"), report, len(users), path)
    except BenchmarkFailed as exc:
        raise BenchmarkFailed(
            f"{exc}\nLocust's output (last lines):\n" + "\n".join(done.stderr.splitlines()[-25:])
        ) from None


def page_stats(stats_csv, report, clients, path):
    """The page's row of Locust's statistics; BenchmarkFailed if any user got no successful page request."""
    try:
        found = json.loads(report.read_text(encoding="utf-8"))
        per_user, failed = found["successes"], found.get("failed", [])
    except (OSError, ValueError, KeyError):
        per_user, failed = {}, []
    idle = sorted(user for user, count in per_user.items() if not count)
    if len(per_user) < clients or idle:
        raise BenchmarkFailed(
            f"{path} with {clients} clients: {clients - len(per_user) + len(idle)} of {clients} users got no "
            f"successful page request (never started: {clients - len(per_user)}; started, none: "
            f"{', '.join(idle) or 'none'}); the login or the page failed, see Locust's output; no table is written"
            + "".join(f"\n{reason}" for reason in failed)
        )
    with open(stats_csv, encoding="utf-8") as f:
        stats = {row["Name"]: row for row in csv.DictReader(f)}
    page = stats.get("page")
    if page is None or int(page["Request Count"]) <= int(page["Failure Count"]):
        raise BenchmarkFailed(f"{path} with {clients} clients: Locust recorded no successful page request")
    return {
        "requests": int(page["Request Count"]),
        "failures": int(page["Failure Count"]),
        "rps": float(page["Requests/s"]),
        "p50": float(page["50%"]),
        "p95": float(page["95%"]),
        "p99": float(page["99%"]),
    }


def _section(persons, on_list, setup, steps, bare, rows, run_line=""):
    lines = [
        "## Pages under load (Locust, gunicorn, PostgreSQL)",
        "",
        (f"`setup_demo --residents {RESIDENTS}`" if RESIDENTS else "`setup_demo` (the demo's own register)")
        + f" on PostgreSQL ({persons:,} person rows in all, "
        f"{on_list:,} on the worklists; {setup:.0f} s: " + "; ".join(steps) + f"), gunicorn with {WORKERS} "
        f"workers, Locust headless on the same machine. Two-factor is required, as in production: each Locust "
        f"user is a member of staff of its own with the role shown (the demo user's unit and password), who logs "
        f"in through the login pages and enrolls an authenticator with an enrollment code from the administrator. "
        f"Once every user of a row has logged in, the statistics start and each asks for one page with no pause "
        f"for {SECONDS} s; a redirect counts as a failure, and a user with no successful page request fails the "
        f"run. Times in milliseconds. The physical "
        f"reference, measured in the same run: the worklist's first 100 entries by a bare indexed query "
        f"(psycopg, no Django), p50 {bare:.1f} ms; the last column is each p50 as times that.",
        *(["", run_line] if run_line else []),
        "",
        "| page | role | clients | requests | failures | req/s | p50 | p95 | p99 | p50 / bare query |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, role, clients, s in rows:
        lines.append(
            f"| {name} | {role} | {clients} | {s['requests']:,} | {s['failures']} | {s['rps']:.1f} | "
            f"{s['p50']:.0f} | {s['p95']:.0f} | {s['p99']:.0f} | {s['p50'] / bare:.0f} |"
        )
    return "\n".join(lines + ["", *_goals(rows)])


def _goals(rows):
    """Issue #17's goals for these pages, each met or missed by how much (client-side times, which include
    Locust and gunicorn on the same cores: an upper bound on the server's own time)."""
    by = {(name, clients): s for name, _role, clients, s in rows}
    lines = ["| goal (issue #17) | measured | |", "|---|---|---|"]

    def goal(text, value, shown, met):
        lines.append(f"| {text} | {shown} | {'met' if met else f'missed ({value})'} |")

    one, many = by.get(("Worklist, first page", 1)), by.get(("Worklist, first page", 32))
    if one:
        goal(
            "Worklist, 1 client: p95 ≤ 100 ms",
            f"{one['p95'] / 100:.1f} × the goal",
            f"p95 {one['p95']:.0f} ms",
            one["p95"] <= 100,
        )
    if many:
        goal(
            "Worklist, 32 clients: p99 ≤ 2 s",
            f"{many['p99'] / 2000:.1f} × the goal",
            f"p99 {many['p99']:.0f} ms",
            many["p99"] <= 2000,
        )
        goal(
            "Worklist, 32 clients: ≥ 20 req/s",
            f"{many['rps'] / 20:.0%} of the goal",
            f"{many['rps']:.1f} req/s",
            many["rps"] >= 20,
        )
    person = by.get(("Person page (on the worklist)", 32))
    if person:
        goal(
            "Person page, 32 clients: twice 30–35 req/s (≥ 60)",
            f"{person['rps'] / 60:.0%} of the goal",
            f"{person['rps']:.1f} req/s",
            person["rps"] >= 60,
        )
    return lines


def _load():
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(host, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{host}/accounts/login/", timeout=5)  # noqa: S310 - our own server
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer")
