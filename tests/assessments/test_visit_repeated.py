"""A visit form sent again while the first submission is being saved: the nurse is told the truth."""

import uuid
from unittest import mock

from django.urls import reverse

from tests.assessments.test_visit_record import SPPB_GOOD, VisitTestCase, fragment
from trappa.assessments import views
from trappa.assessments.models import HomeVisit
from trappa.audit.models import AccessAction, AccessLogEntry


class RepeatedVisitTest(VisitTestCase):
    def test_a_submission_racing_the_first_says_already_saved_and_shows_the_saved_visit(self):
        self.login(self.alice)
        key = uuid.uuid4()
        self.post_visit(key=key, **SPPB_GOOD)
        visit = HomeVisit.objects.get()
        real = views._already_saved
        # The first look finds nothing: the other submission committed just after it (the race window).
        calls = iter([None])
        with mock.patch.object(views, "_already_saved", side_effect=lambda k, p: next(calls, None) or real(k, p)):
            response = self.post_visit(key=key, **SPPB_GOOD)
        self.assertEqual(response["Location"], reverse("assessments:visit", args=[visit.pk]))
        page = self.client.get(response["Location"])
        self.assertContains(page, fragment("This visit was already saved; it is stored once. This is the saved visit."))
        self.assertNotContains(page, fragment("This form was already used for another person."))
        self.assertEqual(HomeVisit.objects.count(), 1)

    def test_a_rejected_visit_leaves_no_create_entry_in_the_access_log(self):
        self.login(self.alice)
        response = self.post_visit(visited_on="not a date")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(AccessLogEntry.objects.filter(action=AccessAction.CREATE).exists())

    def test_a_saved_visit_is_logged_once_as_created_naming_the_visit(self):
        self.login(self.alice)
        self.post_visit(**SPPB_GOOD)
        visit = HomeVisit.objects.get()
        entries = AccessLogEntry.objects.filter(action=AccessAction.CREATE)
        self.assertEqual([e.what for e in entries], [f"home visit {visit.pk}"])
