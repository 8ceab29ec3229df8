"""The leak test: no page names a person the user may not see, and every person a page names is logged.

The route matrix (test_routes.py) shows that a person page refuses a person
without a grant. A page about a person the user *may* see can still name
others: her family in the register, her caregivers, the other participants of
her course, the others on a waitlist or in a respite plan. This test gives Olga
such a circle, most of it hidden from every role, and then, for every role and
every route of the matrix the role may open (with the URL kwargs pointing at
Olga's objects), renders the page (GET, and POST with no data) and fails:

- if a name or national ID of a person the user has no grant for appears
  (HTML, and exports: PDF text and xlsx cells), or
- if a person the user has a grant for appears and this request wrote no
  access log entry for that person, or
- if the response (page or export) may be stored in a cache (no `Cache-Control: no-store`), or
- if the page has a GET form with a free-text field, where a national ID could be typed into a URL.
"""

import datetime
import io
from html.parser import HTMLParser

from django.utils import timezone

from tests.audit.test_routes import RouteMatrixChecks
from tests.respite.base import decision
from trappa.audit.access import grants_for_persons
from trappa.audit.models import AccessLogEntry, CareRelationship, CareRelationshipKind
from trappa.caregivers.models import CaregiverLink
from trappa.people.models import Person, PersonRelation, RelationKind, Sex
from trappa.referrals import services as referral_services
from trappa.referrals.models import Group, Referral, Source, Status
from trappa.test import BaseTestCase

# Synthetic (Tenor) national IDs with valid check digits for Olga's hidden circle.
HIDDEN_IDS = ["01896000128", "02896000079", "03896000113"]
VISIBLE_ID = "04896000073"


def response_text(response):
    """The text a response shows: HTML or text as is, PDF text, xlsx cell values."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "").split(";")[0]
    if kind == "application/pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        rows = (row for sheet in book for row in sheet.iter_rows(values_only=True))
        return "\n".join(" ".join(str(v) for v in row if v is not None) for row in rows)
    return content.decode("utf-8", errors="replace")


class _GetForms(HTMLParser):
    """The free-text fields of a page's GET forms: what a user types there ends up in the URL."""

    TEXT_TYPES = {"text", "search", "number", "tel", ""}

    def __init__(self):
        super().__init__()
        self.in_get_form, self.text_fields = False, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_get_form = (attrs.get("method") or "get").lower() == "get"
        elif self.in_get_form and tag == "textarea":
            self.text_fields.append(attrs.get("name"))
        elif self.in_get_form and tag == "input" and (attrs.get("type") or "").lower() in self.TEXT_TYPES:
            if not _bounded_number(attrs):
                self.text_fields.append(attrs.get("name"))

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_get_form = False


def _bounded_number(attrs):
    """A number field too small for an 11-digit national ID (a year, say) is harmless."""
    try:
        return attrs.get("type") == "number" and int(attrs.get("max")) < 10**10
    except (TypeError, ValueError):
        return False


def get_form_text_fields(html):
    parser = _GetForms()
    parser.feed(html)
    return parser.text_fields


def needles(person, names_in_use):
    """What would show `person`: the national ID (plain or spaced) and the name, where no one else has it."""
    found = [person.national_id, f"{person.national_id[:6]} {person.national_id[6:]}"]
    if names_in_use[(person.given_name, person.family_name)] == 1:
        found += [f"{person.given_name} {person.family_name}", f"{person.family_name}, {person.given_name}"]
    return found


class LeakTestCase(RouteMatrixChecks, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        birth = datetime.date(1960, 9, 1)
        # Olga's family and friends, whom no role user has a care relationship with.
        cls.daughter = cls.make_person(HIDDEN_IDS[0], "Hemmelighild", "Skjulbakken", birth, Sex.FEMALE)
        cls.spouse = cls.make_person(HIDDEN_IDS[1], "Skjoldulf", "Dulgeberg", birth, Sex.MALE)
        cls.neighbour = cls.make_person(HIDDEN_IDS[2], "Lønnhild", "Gjemmeli", birth, Sex.FEMALE)
        # Her sister, whom every role user with personal data may see: shown, so she must be logged.
        cls.sister = cls.make_person(VISIBLE_ID, "Synnøve", "Synligsen", birth, Sex.FEMALE)
        PersonRelation.objects.create(from_person=cls.spouse, to_person=cls.olga, kind=RelationKind.SPOUSE)
        PersonRelation.objects.create(from_person=cls.olga, to_person=cls.daughter, kind=RelationKind.PARENT)
        PersonRelation.objects.create(from_person=cls.sister, to_person=cls.olga, kind=RelationKind.CAREGIVER)
        # The daughter is Olga's registered caregiver, and followed up (a link), by nobody the users know.
        relation = PersonRelation.objects.create(
            from_person=cls.daughter, to_person=cls.olga, kind=RelationKind.CAREGIVER, nearest_relative=True
        )
        CaregiverLink.objects.create(
            relation=relation, caregiver=cls.daughter, recipient=cls.olga, relationship="daughter", hours_per_week=10
        )
        # The neighbour needs respite too: she is in every plan with Olga.
        decision(cls.neighbour)
        for user in cls.role_users:
            if user.sees_personal_data and user.municipality == cls.vefsn:
                for person in (cls.olga, cls.sister):
                    CareRelationship.objects.get_or_create(
                        person=person, user=user, kind=CareRelationshipKind.WORKLIST, defaults={"source": "leak test"}
                    )

    def _hide_in_olgas_groups_and_waitlists(self):
        """The hidden persons take part wherever Olga does: her groups and the offerings she waits for."""
        for group in Group.objects.all():
            for person in (self.daughter, self.neighbour):
                enrollment = referral_services.enroll(group, person)
                self._end(enrollment)
        offerings = {r.offering for r in Referral.objects.filter(person=self.olga, offering__isnull=False)}
        for offering in offerings:
            referral = referral_services.refer(self.spouse, offering, Source.GP, self.alice, "leak test")
            referral_services.change_status(referral, Status.RELEVANT, self.therapist)
            self._end(referral)

    def _end(self, obj):
        CareRelationship.objects.filter(pk=obj.care_relationship_id).update(ended_at=timezone.now())

    def _walk(self, user, routes, urls):
        persons = list(Person.objects.all())
        names = {}
        for p in persons:
            names[(p.given_name, p.family_name)] = names.get((p.given_name, p.family_name), 0) + 1
        grants = grants_for_persons(user, persons)
        for route in routes:
            if not self._role_may(user, route):
                continue
            for method in ("get", "post"):
                with self.subTest(route=route.name, method=method, user=user.username):
                    last = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                    response = self._request(route, urls[route.name], method, user, self.queries.get(route.name))
                    text = response_text(response)
                    logged = set(
                        AccessLogEntry.objects.filter(pk__gt=last, user=user).values_list("person_id", flat=True)
                    )
                    where = f"{method.upper()} {route.name} as {user.username}"
                    problems = []
                    if response.get("Content-Type", "").startswith("text/html") and get_form_text_fields(text):
                        problems.append(f"{where} has a GET form with free text: {get_form_text_fields(text)}")
                    if "no-store" not in response.get("Cache-Control", ""):
                        problems.append(f"{where} may be cached: no Cache-Control: no-store")
                    for person in persons:
                        shown = [n for n in needles(person, names) if n in text]
                        if shown and person.pk not in grants:
                            problems.append(f"{where} named {shown[0]}, whom the user may not see")
                        elif shown and person.pk not in logged:
                            problems.append(f"{where} named {shown[0]} without logging it")
                    self.assertEqual(problems, [])

    def test_no_page_names_a_person_without_access_and_every_person_named_is_logged(self):
        routes = self._checkable_routes()
        urls = self._urls(routes, self.olga)
        self._hide_in_olgas_groups_and_waitlists()
        for user in self.role_users:
            self.login(user)
            self._walk(user, routes, urls)
