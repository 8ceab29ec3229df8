from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DayCareConfig(AppConfig):
    name = "trappa.daycare"
    label = "daycare"
    verbose_name = _("Day care")

    def ready(self):
        from trappa.daycare.services import busiest_day
        from trappa.referrals.services import count_seats_with

        # Registered here because referrals, below this app, cannot import it.
        count_seats_with("day_care", busiest_day)
