"""The person's phone and e-mail: optional register columns, shown at the top of every page
about the person and on the worklist, with the priority and age."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.people.import_helpers import ImportTestCase, csv_text, olga_row
from trappa.people.models import PersonFieldChange


class PersonContactTest(ImportTestCase):
    def test_the_register_import_reads_phone_and_e_mail_and_keeps_the_history(self):
        self.run_import("import_persons", csv_text([olga_row(phone="900 00 001", email="olga@example.no")]))
        self.olga.refresh_from_db()
        self.assertEqual((self.olga.phone, self.olga.email), ("900 00 001", "olga@example.no"))
        self.run_import("import_persons", csv_text([olga_row(phone="900 00 002", email="olga@example.no")]))
        self.assertTrue(PersonFieldChange.objects.filter(person=self.olga, field="phone").exists())

    def test_the_person_pages_show_the_phone_at_the_top(self):
        self.olga.phone = "900 00 001"
        self.olga.save(update_fields=["phone"])
        self.login(self.alice)
        for name in ("people:person", "outreach:person", "referrals:person", "assessments:person_visits"):
            with self.subTest(page=name):
                page = self.client.get(reverse(name, args=[self.olga.pk]))
                self.assertContains(page, 'href="tel:90000001"')

    def test_the_worklist_shows_priority_age_and_phone(self):
        self.olga.phone = "900 00 001"
        self.olga.save(update_fields=["phone"])
        self.login(self.alice)
        page = self.client.get(reverse("outreach:worklist"))
        self.assertContains(page, 'href="tel:90000001"')
        with translation.override(settings.LANGUAGE_CODE):
            label = gettext("Age")
        self.assertContains(page, f'<td class="number" data-label="{label}">{self.olga.age}</td>', html=True)
