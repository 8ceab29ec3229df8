"""Recording a preventive home visit with screenings, through the visit form."""

import datetime
import re
import uuid
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from trappa.assessments.instruments import get
from trappa.assessments.instruments.problems import MISSING, NOT_A_NUMBER, OUT_OF_RANGE, TEMPLATES
from trappa.assessments.models import HomeVisit, Screening
from trappa.assessments.screening import BOTH_VALUE_AND_CODE
from trappa.audit.models import AccessAction, AccessLogEntry, CareRelationship
from trappa.test import BaseTestCase


def fragment(template):
    """The longest fixed part of a message as the page shows it (bokmål), without its %(...)s values."""
    with translation.override(settings.LANGUAGE_CODE):
        text = gettext(template)
    return escape(max(re.split(r"%\(\w+\)s", text), key=len).strip())


# Balance 10/10/10 s (4), gait 5.1 s (3), five stands 12.3 s (3): SPPB 10, "high".
SPPB_GOOD = {
    "sppb__side_by_side": "10",
    "sppb__semi_tandem": "10",
    "sppb__tandem": "10",
    "sppb__gait__1": "5,10",
    "sppb__gait__2": "5.30",
    "sppb__chair_stand_single": "yes",
    "sppb__chair_stands": "12.30",
}
# Balance 10/10/2 s (2), gait 9 s (1), unable to rise without arms (0): SPPB 3, "low".
SPPB_LOW = {
    "sppb__side_by_side": "10",
    "sppb__semi_tandem": "10",
    "sppb__tandem": "2",
    "sppb__gait__1": "9",
    "sppb__chair_stand_single": "no",
}


class VisitTestCase(BaseTestCase):
    def post_visit(self, key=None, person=None, **fields):
        data = {
            "idempotency_key": str(key or uuid.uuid4()),
            "visited_on": timezone.localdate().isoformat(),
            "what_matters": "Å klare meg selv og gå tur med hunden",
            "goals": "Gå til butikken selv",
            "topics": ["falls", "fire"],
            **fields,
        }
        url = reverse("assessments:new_visit", args=[(person or self.olga).pk])
        return self.client.post(url, data)


class RecordVisitTestCase(VisitTestCase):
    def test_it_shows_the_form_with_the_four_perspectives_and_the_instruments(self):
        self.login(self.alice)
        response = self.client.get(reverse("assessments:new_visit", args=[self.olga.pk]))
        self.assertContains(response, 'name="idempotency_key"')
        self.assertContains(response, 'name="sppb__gait__2"')
        self.assertContains(response, 'name="loneliness_3item__isolated"')
        self.assertContains(response, 'name="gds_15__others_better_off"')
        self.assertContains(response, 'name="what_matters"')

    def test_loneliness_and_mood_share_one_collapsed_section_each_with_its_own_legend(self):
        self.login(self.alice)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = self.client.get(reverse("assessments:new_visit", args=[self.olga.pk]))
        self.assertContains(response, '<details class="instrument" id="instrument-loneliness_3item-gds_15">')
        self.assertContains(response, "<summary>Loneliness and mood: UCLA-3 and GDS-15</summary>")
        self.assertContains(response, "<legend>Mood: Geriatric Depression Scale, short form (GDS-15)</legend>")
        self.assertContains(response, '<legend class="visually-hidden">Timed Up and Go (TUG)</legend>')

    def test_it_records_a_visit_with_sppb_scored_by_the_engine(self):
        self.login(self.alice)
        response = self.post_visit(**SPPB_GOOD)
        visit = HomeVisit.objects.get()
        self.assertRedirects(response, reverse("assessments:visit", args=[visit.pk]))
        self.assertEqual(visit.visited_by, self.alice)
        self.assertEqual(visit.topics, ["falls", "fire"])
        screening = visit.screenings.get()
        self.assertEqual((screening.instrument_id, screening.total, screening.band), ("sppb", 10, "high"))
        self.assertEqual(screening.item_points["gait"], 3)
        self.assertEqual(screening.answers["gait"], ["5.10", "5.30"])
        self.assertEqual(screening.instrument_version, get("sppb").version)

    def test_it_scores_a_low_sppb_with_the_stop_rule(self):
        self.login(self.alice)
        self.post_visit(**SPPB_LOW)
        screening = Screening.objects.get()
        self.assertEqual((screening.total, screening.band), (3, "low"))
        self.assertEqual(screening.item_points["chair_stands"], 0)

    def test_it_shows_the_engines_message_for_a_partial_sppb_and_saves_nothing(self):
        self.login(self.alice)
        partial = {k: v for k, v in SPPB_GOOD.items() if k != "sppb__chair_stands"}
        response = self.post_visit(**partial)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, fragment(TEMPLATES[MISSING]))
        self.assertEqual(HomeVisit.objects.count(), 0)

    def test_it_refuses_an_impossible_value_rather_than_scoring_it(self):
        self.login(self.alice)
        response = self.post_visit(**{**SPPB_GOOD, "sppb__side_by_side": "14"})
        self.assertContains(response, fragment(TEMPLATES[OUT_OF_RANGE]))
        self.assertEqual(HomeVisit.objects.count(), 0)

    def test_it_refuses_text_where_a_time_is_asked(self):
        self.login(self.alice)
        response = self.post_visit(**{**SPPB_GOOD, "sppb__chair_stands": "fast"})
        self.assertContains(response, fragment(TEMPLATES[NOT_A_NUMBER]))
        self.assertEqual(Screening.objects.count(), 0)

    def test_it_refuses_both_a_result_and_a_reason_not_done(self):
        self.login(self.alice)
        response = self.post_visit(**{**SPPB_GOOD, "sppb__chair_stands__code": "refused"})
        self.assertContains(response, fragment(str(BOTH_VALUE_AND_CODE)))
        self.assertEqual(HomeVisit.objects.count(), 0)

    def test_it_records_a_visit_without_screenings(self):
        self.login(self.alice)
        self.post_visit()
        self.assertEqual(HomeVisit.objects.get().screenings.count(), 0)

    def test_it_refuses_a_visit_in_the_future(self):
        self.login(self.alice)
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        response = self.post_visit(visited_on=tomorrow.isoformat())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(HomeVisit.objects.count(), 0)

    def test_it_logs_the_visit_as_created(self):
        self.login(self.alice)
        self.post_visit(**SPPB_GOOD)
        self.assertTrue(AccessLogEntry.objects.filter(person=self.olga, user=self.alice, action=AccessAction.CREATE))

    def test_it_refuses_the_outsider(self):
        self.login(self.alice)
        response = self.post_visit(person=self.per, **SPPB_GOOD)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(HomeVisit.objects.count(), 0)

    def test_another_municipality_gets_a_404(self):
        self.login(self.charlie)
        self.assertEqual(self.post_visit(**SPPB_GOOD).status_code, 404)


class DuplicateVisitTestCase(VisitTestCase):
    def test_a_visit_submitted_twice_is_stored_once(self):
        self.login(self.alice)
        key = uuid.uuid4()
        first = self.post_visit(key=key, **SPPB_GOOD)
        second = self.post_visit(key=key, **SPPB_GOOD)
        visit = HomeVisit.objects.get()
        self.assertEqual(first["Location"], second["Location"])
        self.assertEqual(second["Location"], reverse("assessments:visit", args=[visit.pk]))
        self.assertEqual(Screening.objects.count(), 1)

    def test_the_database_refuses_a_second_visit_with_the_same_key(self):
        key = uuid.uuid4()
        fields = {
            "municipality": self.vefsn,
            "person": self.olga,
            "visited_on": timezone.localdate(),
            "visited_by": self.alice,
            "idempotency_key": key,
        }
        HomeVisit.objects.create(**fields)
        with self.assertRaises(IntegrityError), transaction.atomic():
            HomeVisit.objects.create(**fields)

    def test_a_key_used_for_another_person_is_refused(self):
        self.login(self.alice)
        key = uuid.uuid4()
        self.post_visit(key=key)
        bertha = self.make_person("13884100016", "Bertha", "Nordmann", datetime.date(1941, 8, 13), "F")
        CareRelationship.objects.create(person=bertha, user=self.alice, kind="worklist", source="test")
        response = self.post_visit(key=key, person=bertha)
        message = "This form was already used for another person. Open a new form for this visit."
        self.assertContains(response, fragment(message))
        self.assertEqual(HomeVisit.objects.filter(person=bertha).count(), 0)


# These pages show the municipality's own texts (rules, plans, offerings) in bokmål.
@override_settings(LANGUAGE_CODE="nb")
class SuggestionsTestCase(VisitTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("load_catalogue", "--municipality", "1824", stdout=StringIO())

    def visit_page(self, **fields):
        self.login(self.alice)
        response = self.post_visit(**fields)
        return self.client.get(response["Location"])

    def test_reduced_sppb_and_the_criteria_suggest_sterk_og_stodig(self):
        page = self.visit_page(walks_indoors_without_aids="yes", feels_unsteady="yes", **SPPB_LOW)
        self.assertContains(page, "Sterk og stødig")
        self.assertContains(page, "SPPB eller Timed Up and Go viser redusert fysisk funksjon")

    def test_sterk_og_stodig_is_not_suggested_to_someone_with_home_nursing(self):
        self.olga.decisions.create(decision_id="v1", service="home_nursing", start_date=datetime.date(2025, 1, 1))
        page = self.visit_page(walks_indoors_without_aids="yes", feels_unsteady="yes", **SPPB_LOW)
        self.assertNotContains(page, "Sterk og stødig")

    def test_a_good_sppb_suggests_no_training(self):
        page = self.visit_page(walks_indoors_without_aids="yes", feels_unsteady="yes", **SPPB_GOOD)
        self.assertNotContains(page, "Sterk og stødig")

    def test_unanswered_criteria_make_it_a_suggestion_to_check_first(self):
        page = self.visit_page(**SPPB_LOW)
        self.assertContains(page, "Sterk og stødig")
        asked = "Not known yet; ask the person whether this holds (as the public page words it): «%(question)s»"
        self.assertContains(page, fragment(asked))

    def test_recently_widowed_suggests_takk_bare_bra(self):
        # Olga was widowed on 2026-03-01 (the base test case).
        self.olga.marital_status_date = timezone.localdate() - datetime.timedelta(days=90)
        self.olga.save(update_fields=["marital_status_date"])
        page = self.visit_page()
        self.assertContains(page, "Takk, bare bra")

    def test_lonely_suggests_offerings_with_company(self):
        page = self.visit_page(
            loneliness_3item__lack_companionship="often",
            loneliness_3item__left_out="often",
            loneliness_3item__isolated="some_of_the_time",
        )
        self.assertContains(page, "Ensomhet etter UCLA-3")
        self.assertContains(page, "Spise sammen")

    def test_low_mood_on_gds_15_is_recorded_and_suggests_hverdagsglede(self):
        depressive = {"satisfied_with_life": "no", "good_spirits": "no", "happy_most_of_the_time": "no"}
        depressive |= {"life_empty": "yes", "often_helpless": "yes", "worthless": "yes"}
        answers = {f"gds_15__{item.id}": "no" if item.yes_points else "yes" for item in get("gds_15").items}
        answers |= {f"gds_15__{item}": answer for item, answer in depressive.items()}
        page = self.visit_page(**answers)
        screening = Screening.objects.get(instrument_id="gds_15")
        self.assertEqual((screening.total, screening.band), (6, "possible_depression"))
        self.assertContains(page, "Tegn på nedstemthet etter GDS-15")
        self.assertContains(page, "Hverdagsglede for seniorer")

    def test_a_caregiver_is_offered_support_for_caregivers_not_day_care(self):
        self.olga.relations_from.create(to_person=self.per, kind="caregiver")
        page = self.visit_page()
        self.assertContains(page, "Er pårørende: avlastning og støtte.")
        self.assertContains(page, "Støttesamtaler for pårørende")
        self.assertNotContains(page, "Dagtilbud for eldre")
