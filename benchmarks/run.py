"""Run the benchmarks and write docs/benchmarks.md.

    python -m benchmarks.run                  # every benchmark; rewrites the file
    python -m benchmarks.run register_import  # only these; their sections are replaced, the rest kept

A benchmark that fails stops the run before the file is written, so a failure
never replaces good numbers.
"""

import datetime
import importlib
import os
import pkgutil
import platform
import re
import subprocess
import sys
import time
import traceback
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

import benchmarks
from benchmarks._postgres import POSTGRES_URL, ROOT

DOC = ROOT / "docs" / "benchmarks.md"
MARKER = "<!-- benchmark: {} -->"
SECTION = re.compile(r"<!-- benchmark: (\w+) -->\n(.*?)(?=\n<!-- benchmark: |\Z)", re.DOTALL)


def discover():
    """Names of the benchmark modules, sorted."""
    names = []
    for info in pkgutil.iter_modules(benchmarks.__path__):
        # The locustfile is Locust's, not a benchmark (importing it would monkey-patch this process with gevent).
        if info.name in ("run", "locustfile") or info.name.startswith("_"):
            continue
        if callable(getattr(importlib.import_module(f"benchmarks.{info.name}"), "run", None)):
            names.append(info.name)
    return sorted(names)


def run_one(name):
    started = time.monotonic()
    print(f"benchmark {name} ...", file=sys.stderr, flush=True)
    section = importlib.import_module(f"benchmarks.{name}").run().strip()
    print(f"benchmark {name}: done in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    return section


def existing_sections():
    if not DOC.exists():
        return {}
    return {name: body.strip() for name, body in SECTION.findall(DOC.read_text(encoding="utf-8"))}


def machine(load_at_start):
    """The facts that make numbers comparable: when, on what, at which commit."""
    now = datetime.datetime.now(ZoneInfo("Europe/Oslo"))
    memory = _meminfo_gib()
    return "\n".join(
        [
            f"- Date: {now:%Y-%m-%d %H:%M} (Europe/Oslo)",
            f"- Machine: {os.cpu_count()} CPUs ({_cpu_model()}), {memory} GiB memory, {platform.system()}",
            f"- Load average (1, 5, 15 min) at the start: {load_at_start}; at the end: {_load()}",
            f"- Python: {platform.python_version()}",
            f"- PostgreSQL: {postgres_version()}",
            f"- Git commit: {_git_commit()}",
            # What the figures cannot show by themselves, e.g. other work sharing the machine (BENCH_NOTE).
            *([f"- Note: {os.environ['BENCH_NOTE']}"] if os.environ.get("BENCH_NOTE") else []),
        ]
    )


def postgres_version():
    try:
        with psycopg.connect(f"{POSTGRES_URL}/postgres", connect_timeout=5) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except psycopg.Error as exc:
        return f"not reachable ({type(exc).__name__})"


def _load():
    try:
        return ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def _meminfo_gib():
    try:
        text = Path("/proc/meminfo").read_text()
        kib = int(re.search(r"MemTotal:\s+(\d+) kB", text).group(1))
        return f"{kib / 1024**2:.1f}"
    except (OSError, AttributeError):
        return "unknown"


def _cpu_model():
    try:
        found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        return found.group(1).strip() if found else platform.processor() or "unknown model"
    except OSError:
        return "unknown model"


def _git_commit():
    def git(*args):
        # Fixed arguments, git from PATH as a developer runs it.
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603, S607
        return result.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + (" (with uncommitted changes in the checkout)" if git("status", "--porcelain") else "")


def render(sections):
    parts = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m benchmarks.run`); do not edit by hand. Each section is one module",
        "in `benchmarks/`; see `benchmarks/__init__.py` for how to add one. A run may rewrite only some sections,",
        "so each section ends with when, on what and at which commit it was measured.",
    ]
    for name in sorted(sections):
        parts += ["", MARKER.format(name), sections[name]]
    return "\n".join(parts) + "\n"


def stamped(section, facts):
    """The section with the facts of the run that measured it."""
    return f"{section}\n\nMeasured in this run:\n\n{facts}"


def main(argv):
    available = discover()
    unknown = [name for name in argv if name not in available]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available)}", file=sys.stderr)
        return 2
    load_at_start = _load()  # other work on the machine slows the numbers: say how busy it was
    ran = {}
    for name in argv or available:
        try:
            ran[name] = run_one(name)
        except Exception:  # any failure: say which benchmark, keep the old file
            traceback.print_exc()
            print(f"benchmark {name} failed; {DOC.relative_to(ROOT)} was not changed", file=sys.stderr)
            return 1
    # A partial run keeps the other sections, read only now: another benchmark
    # may have written its own while these ran.
    kept = {n: body for n, body in existing_sections().items() if n in available} if argv else {}
    facts = machine(load_at_start)
    sections = {**kept, **{name: stamped(body, facts) for name, body in ran.items()}}
    DOC.write_text(render(sections), encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
