"""Day care (dagtilbud): places by kind, weekdays and time of day.

Seed 002 §11 asks for more day places in dementia care, for somatic patients and in
Miljøterapitjenesten, "also in the evenings and at holidays". A day-care place is a
group of the referrals app: its seats are the places, and enrolling, the waitlist,
offers of a freed place and their answers are the group machinery's
(trappa/referrals/services.py), with its row lock. This model adds what a group does
not say: the kind of place, the weekdays it is open, daytime or evening, and holidays;
and, for a person who takes the place part of the week, the weekdays they come.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

WEEKDAYS = "1234567"  # ISO weekdays, Monday = 1
WEEKDAY_CHOICES = [
    ("1", _("Monday")),
    ("2", _("Tuesday")),
    ("3", _("Wednesday")),
    ("4", _("Thursday")),
    ("5", _("Friday")),
    ("6", _("Saturday")),
    ("7", _("Sunday")),
]
WEEKDAYS_VALIDATOR = RegexValidator(r"^1?2?3?4?5?6?7?$", _("Weekdays as digits 1 (Monday) to 7 (Sunday)."))


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
        validators=[WEEKDAYS_VALIDATOR],
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


class AttendanceDays(models.Model):
    """The weekdays a person comes to a day-care place they hold part of the week (a place on Monday and
    Thursday only). No row: the person comes every day the place is open. The days are some of the
    place's own; on each day, those who come must fit the place's places (trappa/daycare/services.py)."""

    enrollment = models.OneToOneField(
        "referrals.Enrollment", on_delete=models.CASCADE, related_name="day_care_days", verbose_name=_("enrollment")
    )
    weekdays = models.CharField(_("weekdays"), max_length=7, validators=[WEEKDAYS_VALIDATOR])

    class Meta:
        verbose_name = _("day-care attendance days")
        constraints = [models.CheckConstraint(condition=~models.Q(weekdays=""), name="attendance_has_weekdays")]

    def __str__(self):
        return self.weekdays
