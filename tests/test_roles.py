"""One role list per app: who may do what is written once, in the app's roles.py, and imported everywhere else."""

import ast
from pathlib import Path

from django.test import SimpleTestCase

TRAPPA = Path(__file__).resolve().parent.parent / "trappa"


def _is_role(node):
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Role"


def _is_role_list(node):
    """`*SOME_ROLES`: a list of roles spread into another."""
    return isinstance(node, ast.Starred) and isinstance(node.value, ast.Name) and node.value.id.isupper()


def role_lists(source):
    """Line numbers of every list of roles written out: a tuple, list or set of roles, or a call given
    two or more roles (`staff_required(Role.NURSE, Role.PLANNER)`, `staff_required(*EDITORS, Role.NURSE)`)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            elements = node.elts
            found = any(_is_role(e) for e in elements) and all(_is_role(e) or _is_role_list(e) for e in elements)
        elif isinstance(node, ast.Call):
            roles = sum(_is_role(argument) for argument in node.args)
            found = roles >= 1 and roles + sum(_is_role_list(argument) for argument in node.args) >= 2
        else:
            continue
        if found:
            lines.append(node.lineno)
    return lines


def _modules():
    for path in sorted(TRAPPA.rglob("*.py")):
        relative = path.relative_to(TRAPPA)
        if path.name == "roles.py" or "migrations" in relative.parts:
            continue
        yield relative, path


class RoleListTest(SimpleTestCase):
    def test_no_module_outside_an_apps_roles_py_writes_out_a_list_of_roles(self):
        found = [
            f"trappa/{relative}:{line}"
            for relative, path in _modules()
            for line in role_lists(path.read_text(encoding="utf-8"))
        ]
        self.assertEqual(found, [], "import the app's list from its roles.py instead")

    def test_it_finds_a_tuple_a_list_a_set_and_call_arguments(self):
        source = (
            "A = (Role.NURSE, Role.PLANNER)\n"
            "B = [Role.NURSE, Role.PLANNER]\n"
            "C = {Role.NURSE, Role.PLANNER}\n"
            "staff_required(Role.NURSE, Role.PLANNER)\n"
            "D = (Role.NURSE,)\n"
            "staff_required(*EDITORS, Role.NURSE)\n"
            "staff_required(Role.NURSE)\n"
            "staff_required(*EDITORS)\n"
            "role == Role.NURSE\n"
            'USERS = (("nurse", Role.NURSE), ("planner", Role.PLANNER))\n'
        )
        self.assertEqual(role_lists(source), [1, 2, 3, 4, 5, 6])
