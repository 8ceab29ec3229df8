"""No link a page shows leads to a refusal: every role follows every link it is shown.

Starting from the front page (the role's start page once logged in), each role
opens every same-site link on every page it reaches, with the Django test client,
and the test fails on any 403 or 404: a page must not offer what the role cannot
open (templates check with the `may_open` filter, the menu with the route
declarations). Links are followed once per distinct URL, query strings included.
"""

import datetime
import re
from urllib.parse import urlsplit

from django.core.management import call_command
from django.urls import Resolver404, resolve

from tests.referrals.base import make_group
from trappa.accounts.routes import PERSON
from trappa.catalogue.models import Offering
from trappa.daycare import services as day_care
from trappa.daycare.models import Kind, TimeOfDay
from trappa.people.models import Sex
from trappa.referrals import mapping, services
from trappa.referrals.models import ContactKind, Pathway, Source, Status
from trappa.test import BaseTestCase

ROLES = ["alice", "therapist", "course_leader", "caseworker", "coordinator", "unit_leader", "planner", "administrator"]
HREF = re.compile(r'<a\b[^>]*\bhref="([^"#]*)', re.IGNORECASE)
# Paths that are not pages to read: Django's admin (superusers only, not linked) and files.
SKIP = ("/static/", "/django-admin/", "/i18n/")
LIMIT = 400  # pages per role; the test world is small, so this is never reached in practice


class WorldWithGroups(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("load_catalogue", verbosity=0)
        cls.strong = Offering.objects.filter(municipality=cls.vefsn).order_by("code").first()
        cls.group = make_group(cls.strong, leader=cls.course_leader, capacity=1)
        cls.gerd = cls.make_person(
            "02885100047", "Gerd", "Venter", datetime.date(1951, 8, 2), Sex.FEMALE, area="Mosjøen"
        )
        services.enroll(cls.group, cls.olga)
        services.enroll(cls.group, cls.gerd)  # the group is full: Gerd waits
        referral = services.refer(
            cls.olga, cls.strong, Source.GP, cls.alice, "falls", unit=cls.health, on=datetime.date(2026, 1, 2)
        )
        services.change_status(referral, Status.RELEVANT, cls.alice, on=datetime.date(2026, 1, 3))
        # A rehabilitation stay with physiotherapy, a first-contact mapping and a day-care place held part of
        # the week (issue #16): the links of their pages are followed too.
        stay = services.refer(
            cls.olga,
            None,
            Source.HOSPITAL,
            cls.alice,
            "hip fracture",
            unit=cls.physio,
            pathway=Pathway.REHABILITATION_STAY,
            on=datetime.date(2026, 1, 5),
        )
        services.record_physiotherapy(stay, datetime.date(2026, 1, 6), cls.therapist)
        mapping.create(
            cls.olga,
            cls.alice,
            {
                "kind": ContactKind.HOME_SERVICES_APPLICATION,
                "source": Source.HOME_SERVICES,
                "mapped_on": datetime.date(2026, 1, 5),
                "what_matters": "Cooking dinner",
                "challenges": "The stairs",
                "resources": "Strong arms",
                "can_train": "yes",
                "medical_conditions": "no",
                "surroundings": "",
                "welfare_technology": "",
            },
        )
        place = day_care.create_place(
            Offering.objects.get(municipality=cls.vefsn, code="dagplass-demens"),
            name="Parken",
            kind=Kind.DEMENTIA,
            time_of_day=TimeOfDay.DAY,
            weekdays="135",
            capacity=2,
            starts_on=datetime.date(2026, 1, 1),
        )
        day_care.set_days(services.enroll(place.group, cls.olga), "1")


class TestNoLinkLeadsToARefusal(WorldWithGroups):
    def crawl(self, user):
        """Follow every link shown to `user`: the (page, link, status) of every refusal or missing page."""
        self.client.logout()
        self.login(user)
        queue, seen, routes, dead = [("", "/")], {"/"}, set(), []
        while queue and len(seen) < LIMIT:
            source, url = queue.pop(0)
            response = self.client.get(url)
            if response.status_code in (403, 404):
                dead.append(f"{user.role}: {source} -> {url} ({response.status_code})")
                continue
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            for href in HREF.findall(response.content.decode()):
                link = _local(href.replace("&amp;", "&"))
                if link and link not in seen and _new_route(link, routes):
                    seen.add(link)
                    queue.append((url, link))
        return dead, len(seen)

    def test_no_role_is_shown_a_link_it_may_not_open(self):
        dead, counts = [], {}
        for who in ROLES:
            user = getattr(self, who)
            found, counts[user.role] = self.crawl(user)
            dead += found
        self.assertFalse(dead, f"links followed per role: {counts}\n" + "\n".join(dead))

    def test_a_visitor_is_shown_no_link_that_is_refused(self):
        self.client.logout()
        for url in ["/", "/offerings/vefsn/"]:
            for href in HREF.findall(self.client.get(url).content.decode()):
                link = _local(href.replace("&amp;", "&"))
                if link and "/accounts/" not in link:
                    self.assertNotIn(self.client.get(link).status_code, (403, 404), f"{url} -> {link}")


def _new_route(link, routes):
    """Whether to follow the link: every URL of a person page (access depends on the person),
    one URL per route of the others (access depends on the role alone)."""
    try:
        match = resolve(urlsplit(link).path)
    except Resolver404:
        return True  # followed, to fail as a 404
    if getattr(match.func, "trappa_access", None) == PERSON:
        return True
    if match.route in routes:
        return False
    routes.add(match.route)
    return True


def _local(href):
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIP):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")
