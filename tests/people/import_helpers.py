"""Helpers for the register import tests: write CSV files, run the commands."""

import datetime
import io
import shutil
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import translation

from trappa.lib.national_id import make_synthetic
from trappa.people.models import ImportBatch
from trappa.test import OLGA_ID, PER_ID, BaseTestCase

PERSON_COLUMNS = [
    "national_id",
    "given_name",
    "family_name",
    "birth_date",
    "sex",
    "street_address",
    "postal_code",
    "postal_place",
    "area",
    "municipality_number",
    "marital_status",
    "marital_status_date",
    "living_alone",
    "date_of_death",
    "date_moved_out",
    "interpreter_needed",
    "language",
    "written_standard",
]
ASTRID_BIRTH = datetime.date(1944, 2, 29)
ASTRID_ID = make_synthetic(ASTRID_BIRTH, "F", 0)


def person_row(**fields):
    row = {
        "national_id": ASTRID_ID,
        "given_name": "Astrid",
        "family_name": "Løvås",
        "birth_date": str(ASTRID_BIRTH),
        "sex": "F",
        "street_address": "Storgata 1",
        "postal_code": "8656",
        "postal_place": "Mosjøen",
        "area": "Sentrum",
        "municipality_number": "1824",
        "marital_status": "gift",
        "marital_status_date": "",
        "living_alone": "nei",
        "date_of_death": "",
        "date_moved_out": "",
        "interpreter_needed": "0",
        "language": "no",
        "written_standard": "nn",
    }
    row.update(fields)
    return row


def olga_row(**fields):
    """Olga (already in the register) as the extract describes her."""
    fields = {
        "national_id": OLGA_ID,
        "given_name": "Olga",
        "family_name": "Nordmann",
        "birth_date": "1941-08-13",
        "marital_status": "enkeEllerEnkemann",
        "marital_status_date": "2026-03-01",
        "living_alone": "ja",
        "area": "Elsfjord",
        "street_address": "",
        "postal_code": "",
        "postal_place": "",
        "language": "",
        "written_standard": "",
        **fields,
    }
    return person_row(**fields)


def per_row(**fields):
    fields = {
        "national_id": PER_ID,
        "given_name": "Per",
        "family_name": "Utenfor",
        "birth_date": "1948-09-05",
        "sex": "M",
        **fields,
    }
    return person_row(**fields)


def csv_text(rows, columns=None, delimiter=","):
    columns = columns or list(rows[0])
    lines = [delimiter.join(columns)]
    lines += [delimiter.join(str(row.get(name, "")) for name in columns) for row in rows]
    return "\n".join(lines) + "\n"


# The base case's users get Argon2 hashes, which takes seconds per class; these
# tests never log in with a password.
FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@FAST_HASHER
class ImportTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)

    def write(self, content, encoding="utf-8", name="extract.csv"):
        path = self.tmp / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    def run_import(self, command, content, *options, encoding="utf-8", municipality="1824"):
        """Run the command; return what it printed on stdout."""
        stdout, stderr = io.StringIO(), io.StringIO()
        path = self.write(content, encoding)
        with translation.override("en"):
            call_command(command, str(path), "--municipality", municipality, *options, stdout=stdout, stderr=stderr)
        return stdout.getvalue()

    def rejection(self, command, content, *options, encoding="utf-8"):
        """Run the command on a bad file; return its problems as (line, column, reason) and the printed report."""
        stderr = io.StringIO()
        path = self.write(content, encoding)
        with self.assertRaises(CommandError), translation.override("en"):
            call_command(command, str(path), "--municipality", "1824", *options, stdout=io.StringIO(), stderr=stderr)
        batch = ImportBatch.objects.latest("id")
        self.assertEqual(batch.status, "rejected")
        return [(p["line"], p["column"], p["reason"]) for p in batch.errors], stderr.getvalue()

    def assertRejectedFor(self, command, content, line, column, reason_part):
        problems, _printed = self.rejection(command, content)
        matching = [p for p in problems if p[0] == line and p[1] == column and reason_part in p[2]]
        self.assertTrue(matching, f"no problem on line {line}, column {column} with {reason_part!r} in {problems}")
        return problems
