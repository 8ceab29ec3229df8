"""What the PostgreSQL benchmarks share: a throwaway database, and the environment and migration of the
child processes that run Trappa's own commands against it, as an operator would."""

import os
import secrets
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
# Put before every benchmark database's name, so that runs sharing one server do not drop each other's.
DATABASE_PREFIX = os.environ.get("BENCH_DATABASE_PREFIX", "")


@contextmanager
def fresh_database(name):
    """A new, empty database for this run; dropped afterwards whatever happens."""
    name = DATABASE_PREFIX + name
    admin = f"{POSTGRES_URL}/postgres"
    identifier = sql.Identifier(name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(identifier))
    try:
        yield f"{POSTGRES_URL}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))


def child_env(url, synthetic_ids=False):
    """A child's environment: the throwaway database, jobs run in-process, synthetic IDs only if asked for."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_urlsafe(32),  # a throwaway database needs a key, never a real one
        "TRAPPA_ACCESS_LOG_KEY": secrets.token_urlsafe(32),  # the same for its access log's chain
        "TRAPPA_TASKS": "immediate",
        "DJANGO_SETTINGS_MODULE": "trappa.settings",
    }
    if synthetic_ids:
        env["TRAPPA_ALLOW_SYNTHETIC_IDS"] = "true"
    return env


def migrate(url, timeout, synthetic_ids=False):
    """Seconds `manage.py migrate` takes on the empty database."""
    started = time.monotonic()
    command = [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"]
    env = child_env(url, synthetic_ids)
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=timeout)  # noqa: S603 - fixed arguments
    return time.monotonic() - started
