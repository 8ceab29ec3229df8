"""Staff corrections of a person's phone and e-mail, and how the register import treats them.

A correction is written to the person's change history like an import's change, with the
staff member, the reason, and the register value it overrides. The register import keeps
a correction while the register still delivers that value (the number staff knew to be
wrong); when the register brings a different value, the register wins and the history
shows the import's change after the correction (docs/register-format.md).
"""

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from trappa.people.models import Person, PersonFieldChange

CONTACT_FIELDS = ("phone", "email")


@transaction.atomic
def correct_contact(person, user, values, reason):
    """Set the contact fields in `values` that differ, with one history row each; the changed names."""
    now = timezone.now()
    person = Person.objects.select_for_update().get(pk=person.pk)
    latest = _latest_changes([person.pk])
    history = []
    for name in CONTACT_FIELDS:
        old, new = getattr(person, name), values.get(name, getattr(person, name))
        if new == old:
            continue
        setattr(person, name, new)
        history.append(
            PersonFieldChange(
                person=person,
                changed_by=user,
                field=name,
                old_value=old,
                new_value=new,
                changed_at=now,
                reason=reason,
                register_value=_register_value(latest.get((person.pk, name)), old),
            )
        )
    if history:
        person.updated_at = now
        person.save(update_fields=[change.field for change in history] + ["updated_at"])
        PersonFieldChange.objects.bulk_create(history)
    return [change.field for change in history]


def _register_value(latest, current):
    """The register's value a correction overrides: the current value, unless that is itself a
    correction (no import since), whose register value still stands."""
    if latest is not None and latest.batch_id is None:
        return latest.register_value
    return current


def kept_corrections(person_ids):
    """{(person id, field): register value} for the contact fields whose latest change is a staff correction."""
    return {
        key: change.register_value for key, change in _latest_changes(person_ids).items() if change.batch_id is None
    }


def _latest_changes(person_ids):
    """{(person id, field): the latest change} of the contact fields of these persons."""
    newest = PersonFieldChange.objects.filter(person_id=OuterRef("person_id"), field=OuterRef("field"))
    newest = newest.order_by("-changed_at", "-id").values("id")[:1]
    q = PersonFieldChange.objects.filter(person_id__in=list(person_ids), field__in=CONTACT_FIELDS)
    q = q.filter(id=Subquery(newest))
    return {(change.person_id, change.field): change for change in q}
