import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from trappa.test import BaseTestCase


def ui(text):
    """A user-facing string as the pages show it: in the default language, bokmål."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(text)


class OutreachTestCase(BaseTestCase):
    """The base people, plus Vefsn residents the rules find this year."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        year = timezone.localdate().year
        cls.turning_75 = cls.make_person(
            "01017500000", "Anna", "Syttifem", datetime.date(year - 75, 1, 2), "F", area="Drevja"
        )
        cls.turning_80 = cls.make_person(
            "01018000000", "Berit", "Åtti", datetime.date(year - 80, 1, 3), "F", area="Elsfjord"
        )
        cls.widowed_90 = cls.make_person(
            "01019000000",
            "Cecilie",
            "Enke",
            datetime.date(year - 90, 1, 4),
            "F",
            area="Drevja",
            marital_status="widowed",
            marital_status_date=timezone.localdate() - datetime.timedelta(days=30),
        )
        cls.young = cls.make_person("01014000000", "Dag", "Ung", datetime.date(year - 40, 1, 5), "M")
