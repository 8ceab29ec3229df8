"""Worklist, contacts, visits, screenings, referrals through the API; a referral's next step through
the referrals app's state machine; projections and runs for planners."""

from tests.api.fhir_support import FhirTestCase
from tests.planning.route_kwargs import make_run
from trappa.audit.models import AccessAction, AccessLogEntry
from trappa.outreach.models import Channel, Contact, Outcome, WorklistEntry
from trappa.referrals.models import ReferralStep, Status


class RecordsTests(FhirTestCase):
    def test_the_worklist_shows_entries_the_client_may_see_with_reasons_and_logs_each(self):
        WorklistEntry.objects.create(municipality=self.vefsn, person=self.olga, reasons=["age_75"], priority=2)
        WorklistEntry.objects.create(municipality=self.vefsn, person=self.per, reasons=["widowed"], priority=1)
        client, token = self.api_client_with("read:worklist")
        response = self.get_api("/api/worklist/", token)
        self.assertEqual(response.status_code, 200)
        self.assertEqual([(e["person_id"], e["reasons"]) for e in response.json()], [(self.olga.pk, ["age_75"])])
        entries = AccessLogEntry.objects.filter(user=client.user)
        self.assertEqual([(e.person_id, e.action) for e in entries], [(self.olga.pk, AccessAction.LIST)])
        self.assertEqual(self.get_api("/api/worklist/", token, offset="-1").status_code, 400)
        _client, persons_only = self.api_client_with("read:persons", name="Other")
        self.assertEqual(self.get_api("/api/worklist/", persons_only).status_code, 403)

    def test_contacts_visits_screenings_and_referrals_of_a_person_are_read_and_logged(self):
        Contact.objects.create(
            municipality=self.vefsn, person=self.olga, channel=Channel.PHONE, outcome=Outcome.ACCEPTED, by=self.alice
        )
        client, token = self.api_client_with("read:persons", "read:worklist")
        contacts = self.get_api(f"/api/persons/{self.olga.pk}/contacts/", token).json()
        self.assertEqual([c["outcome"] for c in contacts], ["accepted"])
        visits = self.get_api(f"/api/persons/{self.olga.pk}/visits/", token).json()
        self.assertEqual([v["id"] for v in visits], [self.visit.pk])
        self.assertEqual({s["instrument_id"] for s in visits[0]["screenings"]}, {"sppb", "tug"})
        screenings = self.get_api(f"/api/persons/{self.olga.pk}/screenings/", token).json()
        sppb = next(s for s in screenings if s["instrument_id"] == "sppb")
        self.assertEqual((sppb["band"], sppb["item_points"]), (self.sppb.band, self.sppb.item_points))
        records = self.get_api(f"/api/persons/{self.olga.pk}/referrals/", token).json()
        self.assertEqual([r["id"] for r in records["referrals"]], [self.referral.pk])
        self.assertEqual([e["id"] for e in records["enrollments"]], [self.enrollment.pk])
        whats = set(AccessLogEntry.objects.filter(user=client.user, person=self.olga).values_list("what", flat=True))
        self.assertEqual(
            whats,
            {f"API (Journal): {w}" for w in ("contacts", "home visits", "screenings", "referrals and enrollments")},
        )
        for part in ("contacts", "visits", "screenings", "referrals"):
            self.assertEqual(self.get_api(f"/api/persons/{self.per.pk}/{part}/", token).status_code, 403)

    def test_a_referral_moves_only_as_the_state_machine_allows_and_the_change_is_logged(self):
        client, token = self.api_client_with("write:referrals")
        url = f"/api/referrals/{self.referral.pk}/status/"
        wrong = self.post_api(url, token, {"status": Status.COMPLETED})
        self.assertEqual(wrong.status_code, 400)
        self.assertIn("cannot become", wrong.json()["detail"])
        self.assertEqual(self.post_api(url, token, {"status": Status.NOT_RELEVANT}).status_code, 400)  # no reason
        moved = self.post_api(url, token, {"status": Status.RELEVANT})
        self.assertEqual(moved.status_code, 200, moved.content)
        self.assertEqual(moved.json()["status"], Status.RELEVANT)
        step = ReferralStep.objects.filter(referral=self.referral).latest("at")
        self.assertEqual((step.status, step.by), (Status.RELEVANT, client.user))
        entry = AccessLogEntry.objects.get(user=client.user)
        self.assertEqual(
            (entry.action, entry.what), (AccessAction.CHANGE, f"API (Journal): referral {self.referral.pk}")
        )

    def test_a_referral_of_a_person_without_a_grant_is_not_moved(self):
        from trappa.referrals import services

        other = services.refer(self.per, self.referral.offering, "gp", self.alice, "x")
        _client, token = self.api_client_with("write:referrals", unit=self.service_office, name="Office")
        response = self.post_api(f"/api/referrals/{other.pk}/status/", token, {"status": Status.RELEVANT})
        self.assertEqual(response.status_code, 403)
        other.refresh_from_db()
        self.assertEqual(other.status, Status.REFERRED)

    def test_a_referral_is_moved_only_by_a_client_whose_role_works_with_referrals(self):
        # As the pages' @person_view(*REFERRAL_ROLES): a course leader's or planner's client is refused.
        for role in ("course_leader", "planner"):
            _client, token = self.api_client_with("write:referrals", role=role, name=f"Client {role}")
            response = self.post_api(f"/api/referrals/{self.referral.pk}/status/", token, {"status": Status.RELEVANT})
            self.assertEqual(response.status_code, 403, role)
        self.referral.refresh_from_db()
        self.assertEqual(self.referral.status, Status.REFERRED)
        self.assertFalse(AccessLogEntry.objects.filter(person=self.olga, action=AccessAction.CHANGE).exists())

    def test_projections_and_runs_for_the_planning_scope_of_the_clients_municipality(self):
        run_id = make_run(self, self.olga)
        _client, token = self.api_client_with("read:planning", role="planner", name="Planner")
        runs = self.get_api("/api/planning/runs/", token).json()
        self.assertEqual([r["id"] for r in runs], [run_id])
        detail = self.get_api(f"/api/planning/runs/{run_id}/", token).json()
        self.assertIn("results", detail)
        self.assertTrue(self.get_api("/api/planning/projections/", token).json())
        self.assertEqual(self.get_api(f"/api/planning/runs/{run_id + 1}/", token).status_code, 404)
        _client, persons_only = self.api_client_with("read:persons", name="Reader")
        self.assertEqual(self.get_api("/api/planning/runs/", persons_only).status_code, 403)
