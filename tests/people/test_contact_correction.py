"""Staff correct a person's phone and e-mail on the person's pages, with a reason, and the
history says who, when, old → new and why; the register import keeps a correction while
the register still has the value staff corrected, and takes a new register value."""

from django.urls import reverse

from tests.people.import_helpers import ASTRID_ID, ImportTestCase, csv_text, olga_row, person_row
from trappa.audit.models import AccessAction, AccessLogEntry
from trappa.people.models import Person, PersonFieldChange


class ContactCorrectionTest(ImportTestCase):
    def setUp(self):
        super().setUp()
        self.run_import("import_persons", csv_text([olga_row(phone="900 00 001", email="olga@example.no")]))
        self.url = reverse("people:contact", args=[self.olga.pk])

    def correct(self, user=None, **fields):
        self.login(user or self.alice)
        data = {"phone": "900 00 001", "email": "olga@example.no", "reason": "She called with a new number"}
        return self.client.post(self.url, {**data, **fields})

    def test_the_person_page_links_to_the_correction(self):
        self.login(self.alice)
        self.assertContains(self.client.get(reverse("people:person", args=[self.olga.pk])), f'href="{self.url}"')

    def test_a_nurse_corrects_the_phone_and_the_history_says_who_when_what_and_why(self):
        response = self.correct(phone="900 00 009")
        self.assertRedirects(response, reverse("people:person", args=[self.olga.pk]))
        self.olga.refresh_from_db()
        self.assertEqual(self.olga.phone, "900 00 009")
        change = PersonFieldChange.objects.get(person=self.olga, field="phone", batch=None)
        self.assertEqual((change.old_value, change.new_value), ("900 00 001", "900 00 009"))
        self.assertEqual((change.changed_by, change.reason), (self.alice, "She called with a new number"))
        page = self.client.get(reverse("people:person", args=[self.olga.pk]))
        self.assertContains(page, "She called with a new number")
        self.assertContains(page, 'href="tel:90000009"')

    def test_the_correction_is_logged_as_a_change_of_the_person(self):
        self.correct(phone="900 00 009")
        entry = AccessLogEntry.objects.filter(person=self.olga, user=self.alice).latest("id")
        self.assertEqual((entry.action, entry.what), (AccessAction.CHANGE, "contact details"))

    def test_a_reason_is_required_and_the_input_is_kept(self):
        response = self.correct(phone="900 00 009", reason="")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "ds-error-summary")
        self.assertContains(response, 'value="900 00 009"')
        self.olga.refresh_from_db()
        self.assertEqual(self.olga.phone, "900 00 001")

    def test_a_bad_e_mail_is_refused(self):
        self.correct(email="not an address")
        self.olga.refresh_from_db()
        self.assertEqual(self.olga.email, "olga@example.no")

    def test_someone_without_a_care_relationship_cannot_correct(self):
        response = self.correct(user=self.therapist, phone="900 00 009")
        self.assertEqual(response.status_code, 403, response.get("Location"))
        self.olga.refresh_from_db()
        self.assertEqual(self.olga.phone, "900 00 001")

    def test_the_import_keeps_a_correction_while_the_register_has_the_old_value(self):
        self.correct(phone="900 00 008")
        self.correct(phone="900 00 009", email="olga.n@example.no")  # the register still has 900 00 001
        imports = PersonFieldChange.objects.filter(person=self.olga, batch__isnull=False)
        before = imports.count()
        self.run_import("import_persons", csv_text([olga_row(phone="900 00 001", email="olga@example.no")]))
        self.olga.refresh_from_db()
        self.assertEqual((self.olga.phone, self.olga.email), ("900 00 009", "olga.n@example.no"))
        self.assertEqual(imports.count(), before, "the import wrote a change over the correction")

    def test_the_import_keeps_a_correction_for_its_own_person_only(self):
        self.correct(phone="900 00 009")
        rows = [olga_row(phone="900 00 001", email="olga@example.no"), person_row(phone="900 00 001")]
        self.run_import("import_persons", csv_text(rows))
        self.olga.refresh_from_db()
        self.assertEqual(self.olga.phone, "900 00 009")
        self.assertEqual(Person.objects.get(national_id=ASTRID_ID).phone, "900 00 001")

    def test_a_new_register_value_replaces_the_correction_and_the_history_shows_both(self):
        self.correct(phone="900 00 009")
        self.run_import("import_persons", csv_text([olga_row(phone="900 00 005", email="olga@example.no")]))
        self.olga.refresh_from_db()
        self.assertEqual(self.olga.phone, "900 00 005")
        history = list(PersonFieldChange.objects.filter(person=self.olga, field="phone").order_by("id"))
        self.assertEqual(
            [(c.old_value, c.new_value, c.batch_id is None) for c in history],
            [("", "900 00 001", False), ("900 00 001", "900 00 009", True), ("900 00 009", "900 00 005", False)],
        )
