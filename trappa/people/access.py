"""THE access helpers that load persons: every view that shows or changes a
named person's data gets the person through here (or through its own model's
helper), and every such access is logged.

The grant itself (care relationship or emergency access) is checked and
logged by trappa.audit.access, which knows the person only by foreign key.
"""

from django.db.models import Exists, OuterRef
from django.http import Http404

from trappa.audit.access import check_person_access, log_access
from trappa.audit.models import AccessAction, CareRelationship, EmergencyAccess
from trappa.people.models import Person


def get_person_for_user(request, person_id, what, action=AccessAction.VIEW):
    """Load a person, check the user's grant, log the access and return the person."""
    person = _load_person(person_id)
    grant = check_person_access(request.user, person)
    log_access(request, person, grant, what, action)
    return person


def visible_persons(user):
    """The persons this user may see right now, for list and search pages."""
    if not user.is_authenticated or not user.sees_personal_data:
        return Person.objects.none()
    relationship = CareRelationship.objects.current().for_user(user).filter(person=OuterRef("pk"))
    emergency = EmergencyAccess.objects.active().filter(user=user, person=OuterRef("pk"))
    q = Person.objects.filter(municipality_id=user.municipality_id)
    return q.filter(Exists(relationship) | Exists(emergency))


def _load_person(person_id):
    try:
        return Person.objects.get(pk=int(person_id))
    except (Person.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
