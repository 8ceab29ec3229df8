"""The layers of pyproject.toml's [tool.importlinter] hold, and a new import against them fails.

Each check runs lint-imports on a copy of the package (Python files only) with one
import added that breaks a contract, so the contracts are shown to bite, not only to pass.
"""

import shutil
import subprocess
import sys
import tempfile
import tomllib
import unittest
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def copy_tree(target):
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    shutil.copytree(
        ROOT / "trappa",
        target / "trappa",
        ignore=lambda folder, names: (
            [n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir()]
            + [n for n in names if n == "__pycache__"]
        ),
    )


def lint_imports(folder):
    run = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=folder, capture_output=True, text=True, timeout=120, check=False
    )
    return run.returncode, run.stdout + run.stderr


class LayersTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.TemporaryDirectory()
        cls.pristine = Path(cls.tmp.name) / "pristine"
        cls.pristine.mkdir()
        copy_tree(cls.pristine)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()
        super().tearDownClass()

    def with_change(self, path, text):
        """lint-imports on a copy of the package where `path` (made if missing) ends with `text`."""
        folder = Path(tempfile.mkdtemp(dir=self.tmp.name))
        shutil.copytree(self.pristine, folder, dirs_exist_ok=True)
        file = folder / path
        file.parent.mkdir(parents=True, exist_ok=True)
        with file.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text + "\n")
        return lint_imports(folder)

    def test_the_contracts_hold(self):
        code, output = lint_imports(self.pristine)
        self.assertEqual(code, 0, output)

    def test_a_lower_app_importing_a_higher_one_fails(self):
        cases = [
            ("trappa/audit/models.py", "from trappa.people.models import Person", "trappa.audit is not allowed"),
            ("trappa/accounts/views.py", "from trappa.audit.routes import person_view", "trappa.accounts is not"),
            ("trappa/assessments/models.py", "from trappa.outreach import rules", "trappa.assessments is not"),
            ("trappa/people/models.py", "from trappa.catalogue import models", "trappa.people is not allowed"),
            ("trappa/planning/tasks.py", "from trappa import urls", "trappa.planning is not allowed"),
        ]
        for path, line, message in cases:
            with self.subTest(path=path, line=line):
                code, output = self.with_change(path, line)
                self.assertNotEqual(code, 0, output)
                self.assertIn(message, output)

    def test_siblings_in_one_layer_do_not_import_each_other(self):
        code, output = self.with_change("trappa/respite/models.py", "from trappa.referrals import models")
        self.assertNotEqual(code, 0, output)
        self.assertIn("trappa.respite is not allowed to import trappa.referrals", output)

    def test_the_projection_engine_imports_no_django(self):
        code, output = self.with_change("trappa/planning/engine/model.py", "from django.conf import settings")
        self.assertNotEqual(code, 0, output)
        self.assertIn("The projection engine is plain Python: no Django BROKEN", output)

    def test_modules_of_a_package_do_not_import_in_a_circle(self):
        code, output = self.with_change("trappa/planning/models.py", "from trappa.planning import register_population")
        self.assertNotEqual(code, 0, output)
        self.assertIn("No import cycles between the modules of a package BROKEN", output)

    def test_a_new_app_must_be_placed_in_the_layers(self):
        code, output = self.with_change("trappa/newapp/__init__.py", "")
        self.assertNotEqual(code, 0, output)
        self.assertIn("trappa.newapp", output)


class InstalledAppsTestCase(unittest.TestCase):
    def test_installed_apps_list_the_apps_lowest_layer_first(self):
        config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
        layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
        height = {}
        for level, layer in enumerate(reversed(layers)):
            for name in layer.replace(":", "|").split("|"):
                height["trappa." + name.strip().strip("()")] = level
        apps = [app for app in settings.INSTALLED_APPS if app.startswith("trappa.")]
        self.assertEqual(sorted(apps, key=lambda app: height[app]), apps)
