import datetime
import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.caregivers.base import make_link
from tests.referrals.base import make_group, make_offering
from tests.respite.base import plan_with
from trappa.assessments.instruments import get, score
from trappa.assessments.models import HomeVisit, Screening
from trappa.caregivers.models import Consent, ConsentTopic
from trappa.catalogue.models import Location
from trappa.people.models import ServiceDecision, ServiceKind
from trappa.referrals import services
from trappa.referrals.models import Session
from trappa.test import BaseTestCase


class ShareWithConsentTests(BaseTestCase):
    def setUp(self):
        self.link = make_link(self, self.olga, unit=self.health)
        ServiceDecision.objects.create(
            person=self.olga, decision_id="V-9", service=ServiceKind.HOME_NURSING, start_date=datetime.date(2026, 1, 5)
        )
        plan_with(self.olga, self.vefsn)
        self.login(self.alice)
        self.url = reverse("caregivers:shared", args=[self.link.pk])

    def consent(self, *topics):
        self.client.post(reverse("caregivers:consent", args=[self.link.pk]), {"topics": list(topics)})

    def test_it_shows_nothing_without_consent(self):
        response = self.client.get(self.url)
        self.assertContains(response, "has not agreed to share anything")
        self.assertNotContains(response, "Home nursing")
        self.assertNotContains(response, "Solina")

    def test_it_shows_only_the_topics_consented_to(self):
        self.consent(ConsentTopic.RESPITE)
        response = self.client.get(self.url)
        self.assertContains(response, "Solina")
        self.assertNotContains(response, "Home nursing")

    def test_a_withdrawn_consent_stops_sharing_and_is_kept(self):
        self.consent(ConsentTopic.RESPITE, ConsentTopic.SERVICES)
        self.assertContains(self.client.get(self.url), "Home nursing")
        self.consent(ConsentTopic.RESPITE)
        self.assertNotContains(self.client.get(self.url), "Home nursing")
        withdrawn = Consent.objects.get(topic=ConsentTopic.SERVICES)
        self.assertIsNotNone(withdrawn.withdrawn_at)

    def test_it_refuses_a_user_who_does_not_follow_the_recipient(self):
        self.login(self.caseworker)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_a_respite_letter_to_the_caregiver_needs_consent_to_share_the_stays(self):
        url = reverse("caregivers:respite_letter", args=[self.link.pk])
        self.consent(ConsentTopic.SERVICES)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.consent(ConsentTopic.RESPITE)
        response = self.client.get(url)
        self.assertTrue(response.content.startswith(b"%PDF"))


class ShareHealthAndAppointmentsTests(BaseTestCase):
    """The recipient's screening results and upcoming appointments, each only with consent to share it."""

    def setUp(self):
        self.link = make_link(self, self.olga, unit=self.health)
        self.screen("tug", {"seconds": 8.5}, datetime.date(2025, 3, 1), "Gardening matters most")
        self.screen("tug", {"seconds": 14}, datetime.date(2026, 2, 1))
        self.screen("loneliness_3item", {}, datetime.date(2025, 6, 1), skip=True)
        offering = make_offering(self.vefsn, self.health, "sterk-og-stodig", "Sterk og stødig")
        park = Location.objects.create(municipality=self.vefsn, code="byparken", name="Byparken frivilligsentral")
        now = timezone.now()
        self.course = make_group(
            offering, leader=self.alice, name="Balance course", location=park, requires_pre_course_conversation=True
        )
        Session.objects.create(group=self.course, starts_at=now + datetime.timedelta(days=7))
        in_two_days = timezone.localdate() + datetime.timedelta(days=2)
        services.enroll(self.course, self.olga, pre_course_conversation_on=in_two_days)
        finished = make_group(offering, name="Last spring's course")
        Session.objects.create(group=finished, starts_at=now - datetime.timedelta(days=1))
        services.enroll(finished, self.olga)
        full = make_group(offering, capacity=0, name="Full course")
        Session.objects.create(group=full, starts_at=now + datetime.timedelta(days=3))
        services.enroll(full, self.olga)  # waitlisted: no seat, no appointment
        self.login(self.alice)
        self.url = reverse("caregivers:shared", args=[self.link.pk])

    def screen(self, instrument_id, answers, on, what_matters="", skip=False):
        visit = HomeVisit.objects.create(
            municipality=self.vefsn,
            person=self.olga,
            visited_on=on,
            visited_by=self.alice,
            idempotency_key=uuid.uuid4(),
            what_matters=what_matters,
        )
        if skip:
            return
        instrument = get(instrument_id)
        result = score(instrument, answers)
        Screening.objects.create(
            visit=visit,
            person=self.olga,
            instrument_id=instrument_id,
            instrument_version=instrument.version,
            answers=answers,
            total=result.total,
            band=result.band.id if result.band else "",
            screened_on=on,
        )

    def consent(self, *topics):
        self.client.post(reverse("caregivers:consent", args=[self.link.pk]), {"topics": list(topics)})

    def test_it_shows_the_latest_result_per_instrument_with_its_interpretation(self):
        self.consent(ConsentTopic.HEALTH)
        response = self.client.get(self.url)
        self.assertContains(response, "Timed Up and Go (TUG)", count=1)
        self.assertContains(response, "12 seconds or more")
        self.assertContains(response, "Increased risk of falling")
        self.assertNotContains(response, "Under 12 seconds")  # the earlier result is not the latest
        self.assertNotContains(response, "Gardening matters most")  # nothing from the visit's notes
        [row] = response.context["health"]
        self.assertEqual(row["screening"].screened_on, datetime.date(2026, 2, 1))

    def test_the_latest_results_come_most_recent_first(self):
        self.screen("tug", {"seconds": 9}, datetime.date(2024, 1, 1))
        chair_day = datetime.date(2025, 1, 10)
        visit = HomeVisit.objects.create(
            municipality=self.vefsn,
            person=self.olga,
            visited_on=chair_day,
            visited_by=self.alice,
            idempotency_key=uuid.uuid4(),
        )
        Screening.objects.create(
            visit=visit,
            person=self.olga,
            instrument_id="chair_stand_30s",
            instrument_version="1",
            answers={},
            total=None,
            screened_on=chair_day,
        )
        self.consent(ConsentTopic.HEALTH)
        days = [row["screening"].screened_on for row in self.client.get(self.url).context["health"]]
        self.assertEqual(days, [datetime.date(2026, 2, 1), chair_day])

    def test_a_result_of_an_instrument_no_longer_shipped_is_shown_by_its_id(self):
        day = datetime.date(2026, 3, 1)
        visit = HomeVisit.objects.create(
            municipality=self.vefsn,
            person=self.olga,
            visited_on=day,
            visited_by=self.alice,
            idempotency_key=uuid.uuid4(),
        )
        Screening.objects.create(
            visit=visit,
            person=self.olga,
            instrument_id="retired_scale",
            instrument_version="1",
            answers={},
            total=3,
            band="low",
            screened_on=day,
        )
        self.consent(ConsentTopic.HEALTH)
        response = self.client.get(self.url)
        self.assertContains(response, "retired_scale")
        self.assertContains(response, "Timed Up and Go (TUG)")

    def test_it_shows_the_upcoming_sessions_where_the_recipient_has_a_seat_and_not_past_ones(self):
        self.consent(ConsentTopic.APPOINTMENTS)
        response = self.client.get(self.url)
        self.assertContains(response, "Balance course, Byparken frivilligsentral")
        self.assertContains(response, "Conversation before the course Balance course")
        self.assertNotContains(response, "Last spring")
        self.assertNotContains(response, "Full course")
        whats = [a.what for a in response.context["appointments"]]
        self.assertEqual(whats, ["Conversation before the course Balance course", "Balance course"])

    def test_without_consent_neither_is_read_nor_shown(self):
        self.consent(ConsentTopic.SERVICES)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.url)
        self.assertNotIn("health", response.context)
        self.assertNotIn("appointments", response.context)
        self.assertNotIn("respite", response.context)
        for table in ("assessments_screening", "referrals_session", "referrals_enrollment", "respite_"):
            self.assertFalse([q for q in queries.captured_queries if table in q["sql"]], table)
        self.assertNotContains(response, "Timed Up and Go")
        self.assertNotContains(response, "Balance course")

    def test_a_withdrawn_consent_hides_them_again(self):
        self.consent(ConsentTopic.HEALTH, ConsentTopic.APPOINTMENTS)
        response = self.client.get(self.url)
        self.assertContains(response, "Timed Up and Go")
        self.assertContains(response, "Balance course")
        self.consent(ConsentTopic.SERVICES)
        response = self.client.get(self.url)
        self.assertNotContains(response, "Timed Up and Go")
        self.assertNotContains(response, "Balance course")
        self.assertNotContains(response, "Health and assessments")

    def test_it_says_so_when_there_is_nothing_to_show(self):
        Screening.objects.all().delete()
        Session.objects.filter(group=self.course).delete()
        self.course.enrollments.update(pre_course_conversation_on=None)
        self.consent(ConsentTopic.HEALTH, ConsentTopic.APPOINTMENTS)
        response = self.client.get(self.url)
        self.assertContains(response, "No screening results.")
        self.assertContains(response, "Nothing upcoming.")
