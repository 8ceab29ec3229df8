"""The register import benchmark's section: the import as a ratio to a bare COPY and to a COPY into the
indexed copy of the person table, both measured in the same run."""

import tempfile
from pathlib import Path
from types import SimpleNamespace

from django.test import SimpleTestCase

from benchmarks import register_import

COUNTS = {"residents": 90, "deceased": 2, "moved_out": 3, "living_elsewhere": 5, "persons": 100}


def result(seconds, created, unchanged):
    return {"seconds": seconds, "rows": 100, "status": "done", "created": created, "updated": 0, "unchanged": unchanged}


class SectionTest(SimpleTestCase):
    def test_it_gives_the_import_as_times_bare_copy_and_times_the_indexed_copy(self):
        with tempfile.NamedTemporaryFile(suffix=".csv") as persons:
            population = SimpleNamespace(persons={"national_id": [0] * 100}, counts=COUNTS)
            timings = {"generate": 1, "write": 1, "migrate": 1, "copy": 0.5, "indexed_copy": 2.0, "keyed_copy": 3.0}
            text = register_import._section(
                population, Path(persons.name), timings, result(6.0, 100, 0), result(1.5, 0, 100), 100
            )
        self.assertIn("| first import | 6.0 | 12.0 | 3.0 | within 3 × bare COPY (missed) |", text)
        self.assertIn("| the same file again | 1.5 | 3.0 | 0.8 | within 2 × bare COPY (missed) |", text)
        self.assertIn("with its indexes (`CREATE TABLE ... (LIKE people_person INCLUDING ALL)`) takes 4.0 times", text)
        self.assertIn("with the foreign key too 6.0 times", text)
