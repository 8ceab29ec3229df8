"""The dependency locks are complete and agree with their sources.

requirements.in and requirements-dev.in name the direct dependencies, pinned exactly;
requirements.txt and requirements-dev.txt are the locks `make lock` generates from them,
with every package, transitive ones included, pinned exactly and with hashes, so that
`pip install --require-hashes --no-deps` installs exactly what was tested. A hand edit
to a lock, or a pin changed in a source without regenerating the lock, fails here.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES_AND_LOCKS = [("requirements.in", "requirements.txt"), ("requirements-dev.in", "requirements-dev.txt")]

LOCKED = re.compile(
    r"(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)(\s*;.*?)?(\s+--hash=sha256:[0-9a-f]{64})+"
)
PINNED = re.compile(r"(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(\[[A-Za-z0-9_,.-]+\])?==(?P<version>[^\s;]+)")


def normalized(name):
    """A package name as PyPI compares them (PEP 503): `typing_extensions` is `typing-extensions`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def logical_lines(text):
    """The non-blank lines of a requirements file, comments removed and `\\` continuations joined."""
    text = re.sub(r"\\\n", " ", text)
    lines = (re.sub(r"(^|\s)#.*", "", line).strip() for line in text.splitlines())
    return [line for line in lines if line]


def read_lock(text):
    """({package: version}, [problems]) of a lock: each line must be `name==version` with at least one hash."""
    versions, problems = {}, []
    for line in logical_lines(text):
        match = LOCKED.fullmatch(line)
        if match is None:
            problems.append(f"not an exact pin with a hash: {line.split()[0]}")
        else:
            versions[normalized(match["name"])] = match["version"]
    return versions, problems


def read_source(path):
    """({package: version}, [problems]) of a source file, following `-r` includes: each pin must be exact."""
    versions, problems = {}, []
    for line in logical_lines(path.read_text()):
        if line.startswith("-r "):
            included, included_problems = read_source(path.parent / line.removeprefix("-r ").strip())
            versions.update(included)
            problems += included_problems
        elif match := PINNED.fullmatch(line):
            versions[normalized(match["name"])] = match["version"]
        else:
            problems.append(f"{path.name}: not an exact pin: {line}")
    return versions, problems


def disagreements(pins, locked):
    """The direct pins that the lock leaves out or locks at another version."""
    return [
        f"{name}=={version} is locked at {locked.get(name, 'nothing')}"
        for name, version in sorted(pins.items())
        if locked.get(name) != version
    ]


def test_every_lock_line_is_an_exact_pin_with_a_hash():
    for _, lock in SOURCES_AND_LOCKS:
        versions, problems = read_lock((ROOT / lock).read_text())
        assert problems == [], lock
        assert len(versions) > 20, lock


def test_every_direct_dependency_is_pinned_exactly_and_locked_at_that_version():
    for source, lock in SOURCES_AND_LOCKS:
        pins, problems = read_source(ROOT / source)
        assert problems == []
        assert disagreements(pins, read_lock((ROOT / lock).read_text())[0]) == [], f"{source} against {lock}"


def test_the_dev_lock_holds_the_runtime_lock_at_the_same_versions():
    runtime, _ = read_lock((ROOT / "requirements.txt").read_text())
    dev, _ = read_lock((ROOT / "requirements-dev.txt").read_text())
    assert disagreements(runtime, dev) == []


def test_it_finds_a_lock_line_without_a_hash_or_an_exact_pin():
    sha = "0" * 64
    lock = (
        f"# a comment\nabsl-py==2.5.1 \\\n    --hash=sha256:{sha}\n    # via ortools\n"
        f"cryptography==50.0.2\nrequests>=2 \\\n    --hash=sha256:{sha}\n"
    )

    versions, problems = read_lock(lock)

    assert versions == {"absl-py": "2.5.1"}
    assert problems == [
        "not an exact pin with a hash: cryptography==50.0.2",
        "not an exact pin with a hash: requests>=2",
    ]


def test_it_finds_a_direct_pin_that_differs_from_the_lock(tmp_path):
    (tmp_path / "base.in").write_text("# runtime\nDjango==5.2.19\npsycopg[binary]==3.3.9\nnumpy>=2\n")
    (tmp_path / "dev.in").write_text("-r base.in\npytest==9.2.0  # the runner\n")

    pins, problems = read_source(tmp_path / "dev.in")

    assert problems == ["base.in: not an exact pin: numpy>=2"]
    assert disagreements(pins, {"django": "5.2.19", "psycopg": "3.3.8"}) == [
        "psycopg==3.3.9 is locked at 3.3.8",
        "pytest==9.2.0 is locked at nothing",
    ]
