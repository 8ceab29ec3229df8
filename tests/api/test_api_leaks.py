"""The leak test for the machine API: every GET route under /api/ and /fhir/, called with a token
holding every scope and pointed at Olga's records, names no one the client may not see (her
daughter, whom the client's unit has no relationship with; Per), and every person it names is
in that request's access log with the client as the actor.

The route list comes from the URL configuration, so a new API route is walked without editing
this file; a route with a URL kwarg it cannot fill fails with its name.
"""

from tests.api.fhir_support import HIDDEN_ID, FhirTestCase
from tests.audit.test_routes import project_routes
from tests.planning.route_kwargs import make_run
from trappa.api.fhir import codes
from trappa.api.scopes import Scope
from trappa.audit.models import AccessLogEntry
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
