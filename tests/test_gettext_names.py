"""Every user-visible string is marked so that `makemessages` finds it: the translation
functions go by their own names, or `_`. An alias such as `gettext as _t` hides its
strings from makemessages, and the page stays English in bokmål and nynorsk (issue #14)."""

import ast
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

FUNCTIONS = {"gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy", "gettext_noop"}
# The names makemessages's xgettext call knows (django.core.management.commands.makemessages).
KNOWN = FUNCTIONS | {"_", "N_"}


def aliases(source):
    """(line, function, alias) for each translation function imported under a name xgettext does not know."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for name in node.names:
                if name.name in FUNCTIONS and name.asname and name.asname not in KNOWN:
                    found.append((node.lineno, name.name, name.asname))
    return found


class GettextNamesTest(SimpleTestCase):
    def test_no_module_hides_its_strings_under_an_alias(self):
        hidden = []
        for path in sorted((Path(settings.BASE_DIR) / "trappa").rglob("*.py")):
            hidden += [f"{path}:{line}: {function} as {alias}" for line, function, alias in aliases(path.read_text())]
        self.assertEqual(hidden, [])

    def test_the_rule_finds_an_alias(self):
        self.assertEqual(aliases("from django.utils.translation import gettext as _t\n"), [(1, "gettext", "_t")])
        self.assertEqual(aliases("from django.utils.translation import gettext_lazy as _\n"), [])
