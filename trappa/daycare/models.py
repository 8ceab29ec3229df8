"""Day care (dagtilbud): places by kind, weekdays and time of day.

Seed 002 §11 asks for more day places in dementia care, for somatic patients and in
Miljøterapitjenesten, "also in the evenings and at holidays". A day-care place is a
group of the referrals app: its seats are the places, and enrolling, the waitlist,
offers of a freed place and their answers are the group machinery's
(trappa/referrals/services.py), with its row lock. This model adds what a group does
not say: the kind of place, the weekdays it is open, daytime or evening, and holidays.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

WEEKDAYS = "1234567"  # ISO weekdays, Monday = 1


class Kind(models.TextChoices):
    DEMENTIA = "dementia", _("Dementia")
    SOMATIC = "somatic", _("Somatic")
    ENVIRONMENTAL_THERAPY = "environmental_therapy", _("Environmental therapy service (Miljøterapitjenesten)")


class TimeOfDay(models.TextChoices):
    DAY = "day", _("Daytime")
    EVENING = "evening", _("Evening")


class DayCarePlace(models.Model):
    group = models.OneToOneField("referrals.Group", on_delete=models.PROTECT, related_name="day_care")
    kind = models.CharField(_("kind of place"), max_length=30, choices=Kind.choices)
    time_of_day = models.CharField(_("time of day"), max_length=10, choices=TimeOfDay.choices)
    weekdays = models.CharField(
        _("weekdays"),
        max_length=7,
        validators=[RegexValidator(r"^1?2?3?4?5?6?7?$", _("Weekdays as digits 1 (Monday) to 7 (Sunday)."))],
    )
    holidays = models.BooleanField(_("open on public holidays"), default=False)

    class Meta:
        ordering = ["kind", "time_of_day", "group__name"]
        verbose_name = _("day-care place")
        constraints = [models.CheckConstraint(condition=~models.Q(weekdays=""), name="day_care_has_weekdays")]

    def __str__(self):
        return self.group.name

    def is_open_on(self, weekday):
        return str(weekday) in self.weekdays
