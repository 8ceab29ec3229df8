"""Panels an app higher in the import layers adds to a page of a lower app.

The layers (pyproject.toml, `lint-imports`) let an app import only the apps below it, so the
group page (referrals) cannot ask the volunteers app for its hours. Instead the upper app
registers a function for a named slot when it is ready, and the lower page renders whatever
is registered: `panels.render("referrals:group", request, group=group)`.

A function takes the request and the page's objects as keyword arguments and returns HTML
(already escaped, e.g. from render_to_string) or "" to add nothing.
"""

from collections import defaultdict

from django.utils.html import format_html_join

_registry = defaultdict(list)


def register(slot, function):
    """Add `function` to `slot`, once (registering again, e.g. on a second ready(), is a no-op)."""
    if function not in _registry[slot]:
        _registry[slot].append(function)


def render(slot, request, **objects):
    """The HTML of every panel registered for `slot`, in the order registered."""
    # A panel's HTML that is not marked safe is escaped.
    return format_html_join("", "{}", ((function(request, **objects),) for function in _registry[slot]))
