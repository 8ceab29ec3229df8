"""Panels an app higher in the import layers adds to a page of a lower app.

The layers (pyproject.toml, `lint-imports`) let an app import only the apps below it, so the
group page (referrals) cannot ask the volunteers app for its hours. Instead the upper app
registers a function for a named slot when it is ready, and the lower page renders whatever
is registered: `panels.render("referrals:group", request, group=group)`.

A function takes the request and the page's objects as keyword arguments and returns HTML
(already escaped, e.g. from render_to_string) or "" to add nothing.

An export (xlsx, PDF) has no HTML to add to, so an upper app registers plain tables for it the
same way: `register_table("catalogue:plan", function)`, and the export writes every `Table` that
`tables("catalogue:plan", table=table)` gives, after its own.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.html import format_html_join

_registry = defaultdict(list)
_tables = defaultdict(list)


@dataclass
class Table:
    """A table for an export: a title, the column heads, the rows of cells and a closing total row."""

    title: str
    header: list
    rows: list
    footer: list = field(default_factory=list)
    note: str = ""


def register(slot, function):
    """Add `function` to `slot`, once (registering again, e.g. on a second ready(), is a no-op)."""
    if function not in _registry[slot]:
        _registry[slot].append(function)


def render(slot, request, **objects):
    """The HTML of every panel registered for `slot`, in the order registered."""
    # A panel's HTML that is not marked safe is escaped.
    return format_html_join("", "{}", ((function(request, **objects),) for function in _registry[slot]))


def register_table(slot, function):
    """Add `function` to `slot`'s export tables, once. It takes the export's objects as keyword arguments
    and returns a `Table`, or None to add nothing."""
    if function not in _tables[slot]:
        _tables[slot].append(function)


def tables(slot, **objects):
    """The `Table`s every function registered for `slot` gives, in the order registered."""
    return [t for t in (function(**objects) for function in _tables[slot]) if t is not None]
