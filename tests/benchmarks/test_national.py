"""The national benchmark's pieces at a tiny size: the sizes it asks for, the files it writes, and the child's
steps (create, import, build, pages) against the test database, rendered as its section."""

import datetime
import shutil
import tempfile
from pathlib import Path
from unittest import mock

from django.test import SimpleTestCase, TestCase, override_settings

from benchmarks import national, outreach
from trappa.people.models import ImportStatus, Person

TABLE = [("1144", "Kvitsøy", 507), ("0301", "Oslo", 697_010), ("1151", "Utsira", 192)]


def tmp_dir(case):
    folder = Path(tempfile.mkdtemp())
    case.addCleanup(shutil.rmtree, folder)
    return folder


class SizesTest(SimpleTestCase):
    def test_it_scales_every_municipality_keeping_at_least_one_resident(self):
        self.assertEqual(
            national.sizes(0.01, TABLE), [("1144", "Kvitsøy", 5), ("0301", "Oslo", 6970), ("1151", "Utsira", 2)]
        )
        self.assertEqual(national.sizes(0.0001, TABLE)[2], ("1151", "Utsira", 1))

    def test_it_imports_the_largest_last(self):
        self.assertEqual([m[0] for m in national.import_order(TABLE)], ["1144", "1151", "0301"])

    def test_it_writes_each_register_with_the_municipalitys_own_number_and_its_own_seed(self):
        folder = tmp_dir(self)
        written = national.write_registers(folder, national.sizes(0.002, TABLE), datetime.date(2026, 12, 3))
        self.assertEqual([w["number"] for w in written], ["1144", "0301", "1151"])
        self.assertEqual(len({w["seed"] for w in written}), 3)
        text = (folder / "1151" / "persons.csv").read_text(encoding="utf-8")
        self.assertIn(",1151,", text)
        self.assertNotIn(",0301,", text.split("\n", 2)[1])


@override_settings(
    ALLOW_SYNTHETIC_NATIONAL_IDS=True, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
)
class ChildStepsTest(TestCase):
    def test_it_imports_builds_and_measures_every_municipality_then_writes_its_section(self):
        folder = tmp_dir(self)
        plan = national.import_order([("1144", "Kvitsøy", 300), ("1151", "Utsira", 400)])
        written = national.write_registers(folder, plan, datetime.date.today())
        request = {"folder": str(folder), "municipalities": written, "measured": ["1144", "1151"]}
        rules_dir = tmp_dir(self)
        with mock.patch.object(outreach, "REPEAT", 2), mock.patch("trappa.outreach.rules.DATA_DIR"):
            result = national.measure(mock.MagicMock(vendor="sqlite"), request, rules_dir)
        self.assertEqual({i["status"] for i in result["imports"].values()}, {ImportStatus.DONE})
        self.assertEqual(Person.objects.count(), sum(w["rows"] for w in written))
        self.assertTrue((rules_dir / "utsira-1151" / "rules.toml").is_file())
        self.assertGreater(result["builds"]["1151"]["on_list"], 0)
        self.assertEqual(set(result["pages"]["1151"]), {"worklist", "person page"})
        section = national._section(written, 1.0, 2.0, result, result, "1144", "1151")
        self.assertIn("| person page | Utsira (1151) |", section)
        self.assertIn("`import_persons`, all 2 files one after another", section)
