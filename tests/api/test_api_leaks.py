"""The leak test for the machine API: every GET route under /api/ and /fhir/, called with a token
holding every scope and pointed at Olga's records, names no one the client may not see (her
daughter, whom the client's unit has no relationship with; Per), and every person it names is
in that request's access log with the client as the actor. Every POST route, pointed at Per's
referral, place in a group, or Per himself, is refused, changes nothing and names no one.

The route list comes from the URL configuration, so a new API route is walked without editing
this file; a route with a URL kwarg it cannot fill fails with its name.
"""

from django.utils import timezone

from tests.api.fhir_support import HIDDEN_ID, FhirTestCase
from tests.audit.test_routes import project_routes
from tests.planning.route_kwargs import make_run
from tests.referrals.base import make_group
from trappa.api.fhir import codes
from trappa.api.scopes import Scope
from trappa.audit.models import AccessLogEntry, CareRelationship
from trappa.referrals import services
from trappa.referrals.models import Enrollment, Referral, Source
from trappa.test import OLGA_ID, PER_ID

HIDDEN = ("Hemmelighild", "Skjulbakken", HIDDEN_ID, "Utenfor", PER_ID)


class ApiLeakTests(FhirTestCase):
    def resource_ids(self):
        return {
            "Patient": self.olga.pk,
            "RelatedPerson": self.relation.pk,
            "Practitioner": self.alice.pk,
            "PractitionerRole": self.alice.pk,
            "Questionnaire": "sppb",
            "QuestionnaireResponse": self.sppb.pk,
            "Observation": self.sppb.pk,
            "ServiceRequest": self.referral.pk,
            "Encounter": f"visit-{self.visit.pk}",
            "EpisodeOfCare": f"decision-{self.decision.pk}",
            "Consent": self.consent.pk,
            "AuditEvent": None,  # filled once the log has an entry about Olga
        }

    def test_no_api_route_names_a_hidden_person_and_every_person_named_is_logged(self):
        client, token = self.api_client_with(*Scope.values)
        run_id = make_run(self, self.olga)
        self.get_api(f"/api/persons/{self.olga.pk}/", token)
        ids = self.resource_ids()
        ids["AuditEvent"] = AccessLogEntry.objects.filter(person=self.olga).latest("seq").pk
        kwargs = {"person_id": self.olga.pk, "referral_id": self.referral.pk, "run_id": run_id, "kind": "persons"}
        kwargs["municipality"] = self.vefsn.slug
        walked = []
        for route in project_routes():
            if not route.pattern.startswith(("api/", "fhir/")) or route.name in ("api:schema", "api:reference"):
                continue
            methods = getattr(route.callback, "cls", None)
            if methods is None or "get" not in getattr(methods, "http_method_names", ()) or not hasattr(methods, "get"):
                continue
            values = dict(kwargs)
            if "resource_id" in route.kwarg_names:
                resource_type = route.pattern.split("/")[1]
                values["resource_id"] = ids[resource_type]
            missing = [k for k in route.kwarg_names if k not in values]
            self.assertFalse(missing, f"{route.name}: no value for {missing}")
            url = route.url(values)
            params = {}
            if route.name.endswith("-search"):
                is_patient = route.name == "fhir:Patient-search"
                params = {"identifier": f"{codes.FNR}|{OLGA_ID}"} if is_patient else {"patient": str(self.olga.pk)}
            before = AccessLogEntry.objects.filter(user=client.user).count()
            response = self.get_api(url, token, **params)
            walked.append(url)
            with self.subTest(url=url):
                self.assertLess(response.status_code, 500)
                text = response.content.decode()
                for hidden in HIDDEN:
                    self.assertNotIn(hidden, text)
                if OLGA_ID in text or "Nordmann" in text:
                    logged = AccessLogEntry.objects.filter(user=client.user, person=self.olga)
                    self.assertGreater(logged.count(), 0)
                    self.assertGreater(AccessLogEntry.objects.filter(user=client.user).count(), before)
        self.assertGreater(len(walked), 25)
        self.assertTrue(any("$everything" in url for url in walked))

    def test_no_api_write_route_moves_or_names_a_person_the_client_may_not_see(self):
        client, token = self.api_client_with(*Scope.values)
        offering = self.referral.offering
        referral = services.refer(self.per, offering, Source.GP, self.alice, "leak test")
        group = make_group(offering, name="Lekkasjetest")
        enrollment = services.enroll(group, self.per)
        # Both gave the offering's unit (the client's) access to Per: ended, so only the base grants count.
        ended = [referral.care_relationship_id, enrollment.care_relationship_id]
        CareRelationship.objects.filter(pk__in=ended).update(ended_at=timezone.now())
        kwargs = {"referral_id": referral.pk, "enrollment_id": enrollment.pk, "group_id": group.pk, "kind": "persons"}
        # Every field any write route reads, pointed at Per.
        body = {"person_id": self.per.pk, "step": "withdraw", "status": "relevant", "reason": "x", "rows": []}
        walked = []
        for route in project_routes():
            view_class = getattr(route.callback, "cls", None)
            if not route.pattern.startswith(("api/", "fhir/")) or route.name == "api:token":
                continue
            if view_class is None or "post" not in view_class.http_method_names or not hasattr(view_class, "post"):
                continue
            missing = [k for k in route.kwarg_names if k not in kwargs]
            self.assertFalse(missing, f"{route.name}: no value for {missing}")
            url = route.url(kwargs)
            response = self.post_api(url, token, body)
            walked.append(route.name)
            with self.subTest(url=url):
                self.assertLess(response.status_code, 500)
                self.assertGreaterEqual(response.status_code, 400)
                for hidden in HIDDEN:
                    self.assertNotIn(hidden, response.content.decode())
                if {"referral_id", "enrollment_id", "group_id"} & set(route.kwarg_names):
                    self.assertIn(response.status_code, (403, 404))
        self.assertTrue({"api:referral-status", "api:enrollment-step", "api:group-enrollments"} <= set(walked))
        self.assertEqual(Referral.objects.get(pk=referral.pk).status, referral.status)
        self.assertEqual(list(Enrollment.objects.filter(person=self.per)), [enrollment])
        self.assertEqual(Enrollment.objects.get(pk=enrollment.pk).status, enrollment.status)
        self.assertFalse(AccessLogEntry.objects.filter(user=client.user, person=self.per).exists())
