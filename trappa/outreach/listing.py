"""The worklist page's read path: one index walked in the page's order, a page at a time.

The build (trappa/outreach/worklist.py) copies each person's sort and filter keys onto their
entry and keeps the counts (WorklistCounts), so a request neither joins and sorts the register
nor counts it: it walks `worklist_order` (or the area's or the nurse's index) from where the
previous page ended (keyset pagination), checks each entry's care relationship as it goes,
and stops after one page. The person id ends every key, so ties are broken by id and no row is
skipped or repeated from one page to the next, whatever is added or removed in between.

Persons the user holds a worklist relationship with but who have no entry here (put on the
list by hand, or their entry still belongs to the municipality they left) come after all
entries, oldest first: a second segment of the same walk.
"""

import base64
import binascii
import datetime
import json
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from trappa.audit.models import CareRelationship, CareRelationshipKind
from trappa.outreach.models import LIST_ORDER, Contact, WorklistEntry
from trappa.outreach.worklist import ASSIGNED_SOURCE, UNIT_SOURCE
from trappa.people.access import visible_persons
from trappa.people.models import Person

ENTRY_ORDER = [*LIST_ORDER[:-1], "person_id"]
PERSON_ORDER = ["birth_date", "family_name", "given_name", "pk"]
# What a page of entries shows and logs (templates/outreach/worklist.html, the access log): the
# rest of the person, the entry and the assigned nurse is not read, nor converted row by row.
ENTRY_FIELDS = [
    *("municipality_id", "person_id", "reasons", "priority", "assigned_to_id"),
    *("birth_date", "family_name", "given_name", "area"),
    *(f"person__{f}" for f in ("municipality_id", "given_name", "family_name", "birth_date", "phone", "area")),
    *(f"assigned_to__{f}" for f in ("username", "first_name", "last_name")),
]


@dataclass
class Segment:
    """An ordered queryset and the fields of its key (unique, the id last).

    `source` is the queryset, or a function that makes it when it is first needed."""

    source: object
    keys: list
    columns: list

    @cached_property
    def queryset(self):
        return self.source() if callable(self.source) else self.source

    def key_of(self, obj):
        return [_plain(getattr(obj, k)) for k in self.keys]

    def after(self, key):
        return self._compare(">", key).order_by(*self.keys)

    def before(self, key):
        return self._compare("<", key).order_by(*[f"-{k}" for k in self.keys])

    def _compare(self, op, key):
        if key is None:
            return self.queryset
        # A row value comparison: the index's own order, so the database starts reading at the key.
        columns = ", ".join(self.columns)
        marks = ", ".join(["%s"] * len(key))
        # Only column names from the models and placeholders go into the SQL; the key goes as parameters.
        condition = RawSQL(f"({columns}) {op} ({marks})", key, output_field=BooleanField())  # noqa: S611
        return self.queryset.filter(condition)


@dataclass
class Page:
    rows: list = field(default_factory=list)  # [(person, entry or None)]
    next_cursor: str = ""
    previous_cursor: str = ""
    is_first: bool = True


def _plain(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def encode(segment, key):
    raw = json.dumps([segment, key], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor, segments):
    """(segment, key) from a cursor the page made; None for a missing or malformed one (the first page)."""
    if not cursor:
        return None
    try:
        segment, key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, TypeError):
        return None
    if not isinstance(segment, int) or not 0 <= segment < len(segments) or not isinstance(key, list):
        return None
    if len(key) != len(segments[segment].keys) or not all(isinstance(v, (str, int)) for v in key):
        return None
    return segment, key


def page(segments, size, after="", before=""):
    """One page of rows in the segments' order, after (or before) a cursor; the cursors around it.

    A cursor only says where to start: every row still passes the segments' own conditions."""
    backward = decode(before, segments)
    if backward is not None:
        return _backward(segments, size, *backward)
    return _forward(segments, size, decode(after, segments))


def _forward(segments, size, start):
    first, key = start if start else (0, None)
    found = []  # (segment, object)
    for index in range(first, len(segments)):
        wanted = size + 1 - len(found)
        if wanted <= 0:
            break
        qs = segments[index].after(key if index == first else None)
        found += [(index, obj) for obj in qs[:wanted]]
    result = Page(is_first=start is None)
    shown = found[:size]
    result.rows = [(index, obj) for index, obj in shown]
    if len(found) > size:
        index, obj = shown[-1]
        result.next_cursor = encode(index, segments[index].key_of(obj))
    if start is not None and shown:
        index, obj = shown[0]
        result.previous_cursor = encode(index, segments[index].key_of(obj))
    return result


def _backward(segments, size, last, key):
    found = []
    for index in range(last, -1, -1):
        wanted = size + 1 - len(found)
        if wanted <= 0:
            break
        qs = segments[index].before(key if index == last else None)
        found += [(index, obj) for obj in qs[:wanted]]
    shown = list(reversed(found[:size]))
    result = Page(rows=shown, is_first=len(found) <= size)
    if shown:
        index, obj = shown[-1]
        result.next_cursor = encode(index, segments[index].key_of(obj))
        if len(found) > size:
            index, obj = shown[0]
            result.previous_cursor = encode(index, segments[index].key_of(obj))
    return result


def _latest_contact():
    return Contact.objects.filter(person=OuterRef("person_id")).order_by("-at", "-id")


def worklist_segments(user, filters):
    """The user's worklist as two keyset segments: the entries, then persons on it without one.

    The same persons worklist_persons (views.py) finds: visible_persons() narrowed to a current
    worklist relationship, written out so that the database can walk the entries' index."""
    if not user.is_authenticated or not user.sees_personal_data:
        return [Segment(WorklistEntry.objects.none(), ENTRY_ORDER, [])]
    relationship = CareRelationship.objects.current().for_user(user).filter(kind=CareRelationshipKind.WORKLIST)
    entries = WorklistEntry.objects.filter(municipality_id=user.municipality_id)
    entries = entries.filter(person__municipality_id=user.municipality_id)
    entries = entries.filter(Exists(relationship.filter(person=OuterRef("person_id"))))
    entries = _filtered_entries(entries, filters, user)
    table = WorklistEntry._meta.db_table
    columns = [f'"{table}"."{WorklistEntry._meta.get_field(k).column}"' for k in LIST_ORDER]
    person_table = Person._meta.db_table
    person_columns = [f'"{person_table}"."{k if k != "pk" else "id"}"' for k in PERSON_ORDER]
    return [
        Segment(entries.select_related("person", "assigned_to").only(*ENTRY_FIELDS), ENTRY_ORDER, columns),
        # Made only if a page reaches past the entries (or the list is counted).
        Segment(lambda: _others(user, relationship, filters), PERSON_ORDER, person_columns),
    ]


def _others(user, relationship, filters):
    # The build's own relationships always come with an entry (it ends them when it removes the entry),
    # so only the others can hold someone without one: the second segment stays small and cheap.
    by_hand = relationship.exclude(source__in=(UNIT_SOURCE, ASSIGNED_SOURCE))
    others = visible_persons(user).filter(pk__in=Subquery(by_hand.values("person_id")))
    others = others.exclude(worklist_entry__municipality_id=user.municipality_id)
    return _filtered_others(others, filters)


# Filters narrow what the user may see; they never widen it.


def _filtered_entries(entries, data, user):
    if data.get("area"):
        # The entry's copy picks the index; the person's own area keeps the filter true between builds.
        entries = entries.filter(area=data["area"], person__area=data["area"])
    if data.get("reason"):
        entries = entries.filter(_has_reason(data["reason"]))
    if data.get("assigned") == "mine":
        entries = entries.filter(assigned_to=user)
    elif data.get("assigned") == "nobody":
        entries = entries.filter(assigned_to__isnull=True)
    if data.get("due"):
        entries = entries.annotate(due_on=Subquery(_latest_contact().values("remind_on")[:1]))
        entries = entries.filter(due_on__lte=timezone.localdate())
    return entries


def _has_reason(reason):
    """The entry's reasons (a JSON list of rule ids) hold this one."""
    if connection.vendor == "postgresql":
        # Containment in the jsonb itself: the match as a substring of the list's text, upper-cased,
        # took three quarters of a rare reason's page at 300,000 residents (every entry is filtered).
        return Q(reasons__contains=[reason])
    # SQLite has no JSON containment; the quotes make the match exact.
    return Q(reasons__icontains=f'"{reason}"')


def _filtered_others(others, data):
    if data.get("area"):
        others = others.filter(area=data["area"])
    if data.get("reason") or data.get("assigned") == "mine":
        others = others.none()
    if data.get("due"):
        latest = Contact.objects.filter(person=OuterRef("pk")).order_by("-at", "-id")
        others = others.annotate(due_on=Subquery(latest.values("remind_on")[:1]))
        others = others.filter(due_on__lte=timezone.localdate())
    return others


def rows_with_contacts(page_rows):
    """[(person, entry or None)] for the page, each person with their latest contact's outcome,
    time and reminder (one query for the whole page)."""
    rows = [(obj.person, obj) if isinstance(obj, WorklistEntry) else (obj, None) for _index, obj in page_rows]
    latest = {}
    contacts = Contact.objects.filter(person_id__in=[p.pk for p, _e in rows]).order_by("person_id", "-at", "-id")
    for person_id, outcome, at, remind_on in contacts.values_list("person_id", "outcome", "at", "remind_on"):
        latest.setdefault(person_id, (outcome, at, remind_on))
    for person, _entry in rows:
        person.last_outcome, person.last_contact_at, person.remind_on = latest.get(person.pk, (None, None, None))
    return rows


def list_count(user, filters, counts):
    """How many are on the list with these filters, from the build's counts; None where it kept none.

    The counts are the holding unit's whole list as it was built; a user outside that unit sees
    only what is assigned to them, which the caller counts (a short index range)."""
    if counts is None or user.unit_id != counts.unit_id:
        return None
    active = {k: v for k, v in filters.items() if v}
    if not active:
        return counts.total
    if list(active) == ["area"]:
        return counts.by_area.get(active["area"], 0)
    if list(active) == ["reason"]:
        return counts.by_reason.get(active["reason"], 0)
    if active == {"assigned": "nobody"}:
        return counts.total - counts.assigned
    return None
