"""Person pages: search, the person page, and the "who has looked at my data" report.

Every person comes through trappa.people.access, which checks the care
relationship (or emergency access) and writes the access log.
"""

import re

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from trappa.audit.access import log_persons_listed, show_mentioned_persons
from trappa.audit.models import AccessAction
from trappa.audit.routes import person_view
from trappa.menu import person_links
from trappa.people.access import get_person_for_user, visible_persons
from trappa.people.contact import CONTACT_FIELDS, correct_contact
from trappa.people.forms import ContactCorrectionForm
from trappa.people.models import Person, PersonRelation, RelationKind

SEARCH_LIMIT = 50
NATIONAL_ID = re.compile(r"^\d{6}\s?\d{5}$")

# How a relation reads from the other side: "A is parent of B" means B is child of A.
INCOMING_LABELS = {
    RelationKind.SPOUSE: _("Spouse or partner"),
    RelationKind.PARENT: _("Child of"),
    RelationKind.CAREGIVER: _("Cared for by"),
}


@person_view()
def search(request):
    """Search among the persons the user has a grant for, by name or national ID.

    The query is POSTed, never read from the URL: a national ID in a URL would end up in
    the browser's history, the web server's log and a `next=` parameter."""
    query = " ".join(request.POST.get("q", "").split())[:100] if request.method == "POST" else ""
    persons, more = [], False
    if len(query) >= 2:
        found = list(_search(visible_persons(request.user), query)[: SEARCH_LIMIT + 1])
        persons, more = found[:SEARCH_LIMIT], len(found) > SEARCH_LIMIT
        log_persons_listed(request, persons, "person search")
    context = {"query": query, "persons": persons, "more": more, "limit": SEARCH_LIMIT}
    return render(request, "people/search.html", context)


def _search(q, query):
    if NATIONAL_ID.match(query):
        return q.filter(national_id=query.replace(" ", ""))
    # Every word must match the given or the family name.
    for word in query.split():
        q = q.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    return q.order_by("family_name", "given_name", "pk")


@person_view()
def person(request, person_id):
    """The register data, services, relations, change history and care relationships."""
    person = get_person_for_user(request, person_id, "person page")
    context = {
        "person": person,
        "decisions": person.decisions.select_related("unit").order_by("-start_date", "pk"),
        "technologies": person.welfare_technology.all(),
        "relations": _relations(request, person),
        "changes": _changes(person),
        "relationships": person.care_relationships.select_related("user", "unit").order_by("-started_at", "pk"),
        "links": person_links(request.user, person.pk),
    }
    return render(request, "people/person.html", context)


def _changes(person):
    """The change history with each field by its translated name, as on the page."""
    changes = list(person.changes.select_related("batch", "changed_by"))
    for change in changes:
        change.label = _field_label(change.field)
    return changes


def _field_label(name):
    try:
        return Person._meta.get_field(name).verbose_name
    except FieldDoesNotExist:
        return name


def _relations(request, person):
    """(label, other person or None, nearest relative): the other person is named
    only when the user may see them too (and is logged), so a relation leaks no one's name."""
    # Both directions in one query, each row with both persons: the other is whichever is not this one.
    relations = PersonRelation.objects.filter(Q(from_person=person) | Q(to_person=person))
    outgoing, incoming = [], []
    for r in relations.select_related("from_person", "to_person").order_by("pk"):
        if r.from_person_id == person.pk:
            outgoing.append((r.get_kind_display(), r.to_person, r.nearest_relative))
        else:
            incoming.append((INCOMING_LABELS[r.kind], r.from_person, r.nearest_relative))
    rows = outgoing + incoming
    others = [other for _label, other, _nearest in rows]
    visible = show_mentioned_persons(request, others, f"relation of person {person.pk}")
    return [(label, other if other.pk in visible else None, nearest) for label, other, nearest in rows]


@person_view()
def correct_contact_details(request, person_id):
    """Staff correct the person's phone or e-mail with a reason; the register import keeps the
    correction while the register still has the old value (trappa/people/contact.py)."""
    action = AccessAction.CHANGE if request.method == "POST" else AccessAction.VIEW
    person = get_person_for_user(request, person_id, "contact details", action)
    initial = {name: getattr(person, name) for name in CONTACT_FIELDS}
    form = ContactCorrectionForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        correct_contact(person, request.user, form.cleaned_data, form.cleaned_data["reason"])
        messages.success(request, _("The contact details are corrected."))
        return redirect("people:person", person.pk)
    changes = [change for change in _changes(person) if change.field in CONTACT_FIELDS]
    return render(request, "people/contact.html", {"person": person, "form": form, "changes": changes})


@person_view()
def access_log(request, person_id):
    """Who has looked at this person's data: printable, for the person to read."""
    person = get_person_for_user(request, person_id, "access log report", AccessAction.EXPORT)
    entries = person.access_log.select_related("user", "care_relationship", "emergency_access")
    return render(request, "people/access_log.html", {"person": person, "entries": entries})
