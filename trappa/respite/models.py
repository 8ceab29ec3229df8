"""Respite: beds in units, rotation-stay decisions, the plans the planner made, and drop-in bookings.

Dates of stays are Mondays: a stay runs from the Monday a person comes in to
the Monday they go home (exclusive), a whole number of weeks.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappa.accounts.models import Municipality
from trappa.jobs.models import Job
from trappa.people.models import Person, ServiceDecision

DECISION_DAYS = 182  # a decision is valid six months unless it says otherwise


class BedGroup(models.TextChoices):
    SOMATIC = "somatic", _("Somatic")
    DEMENTIA = "dementia", _("Dementia")


class RespiteUnit(models.Model):
    """A place with respite beds, e.g. Solina or Miljøtunet."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="respite_units")
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="respite_unit_unique")]
        verbose_name = _("respite unit")

    def __str__(self):
        return self.name


class Bed(models.Model):
    unit = models.ForeignKey(RespiteUnit, on_delete=models.PROTECT, related_name="beds")
    label = models.CharField(_("bed"), max_length=50)
    group = models.CharField(_("group"), max_length=20, choices=BedGroup.choices)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["unit__name", "label"]
        constraints = [models.UniqueConstraint(fields=["unit", "label"], name="respite_bed_unique")]
        verbose_name = _("bed")

    def __str__(self):
        return f"{self.unit.name} {self.label}"


class RespiteDecision(models.Model):
    """A rotation-stay decision: `home_weeks` at home, then `stay_weeks` in, from `first_stay` on."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="respite_decisions")
    service_decision = models.ForeignKey(
        ServiceDecision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="respite_decisions",
        verbose_name=_("service decision"),
    )
    group = models.CharField(_("group"), max_length=20, choices=BedGroup.choices)
    home_weeks = models.PositiveSmallIntegerField(_("weeks at home"))
    stay_weeks = models.PositiveSmallIntegerField(_("weeks in"))
    first_stay = models.DateField(_("first stay starts (a Monday)"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["valid_from", "id"]
        verbose_name = _("rotation-stay decision")

    def __str__(self):
        return f"{self.home_weeks}/{self.stay_weeks} {self.group}"

    @staticmethod
    def default_until(valid_from):
        return valid_from + datetime.timedelta(days=DECISION_DAYS)


class PlanVersion(models.Model):
    """One run of the planner: kept, so the next run can stay close to it and changes can be traced."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="respite_plans")
    start = models.DateField(_("first week"))
    weeks = models.PositiveSmallIntegerField(_("weeks"))
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20)  # the solver's: optimal or feasible
    changes = models.PositiveIntegerField(default=0)
    # [{"group", "week", "demand", "beds"}]: no personal data
    overbooked = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("respite plan")

    def week_start(self, week):
        return self.start + datetime.timedelta(weeks=week)


class PlannedStay(models.Model):
    """A stay of a plan: on a bed, or (bed empty) promised but left out, maybe with an option."""

    plan = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="stays")
    decision = models.ForeignKey(RespiteDecision, on_delete=models.PROTECT, related_name="planned_stays")
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, null=True, blank=True)
    start = models.DateField()
    end = models.DateField()  # exclusive: the Monday the person goes home
    # For a stay left out: what would fit instead ("shift" or "shorten"), on which bed and dates.
    option_kind = models.CharField(max_length=20, blank=True)
    option_bed = models.ForeignKey(Bed, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    option_start = models.DateField(null=True, blank=True)
    option_end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["start", "id"]

    @property
    def placed(self):
        return self.bed_id is not None


class BookingKind(models.TextChoices):
    NIGHT = "night", _("Night respite")
    WEEKEND = "weekend", _("Weekend respite")
    HOURLY = "hourly", _("Drop-in respite by the hour")
    # Respite given in the person's own home, so the caregiver can go out (seed 002 §8).
    AT_HOME = "at_home", _("Respite at home")


class RespiteBooking(models.Model):
    """Night, weekend, hourly drop-in or at-home respite outside the rotation plan (at home: no unit)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="respite_bookings")
    unit = models.ForeignKey(RespiteUnit, on_delete=models.PROTECT, related_name="bookings", null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=BookingKind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("respite booking")


class StayMove(models.Model):
    """A planned stay moved by hand to another bed, often on another ward when its own is full: the history.

    The next plan starts from the bed the stay was moved to (services.previous_weeks reads the latest plan)."""

    stay = models.ForeignKey(PlannedStay, on_delete=models.CASCADE, related_name="moves")
    from_bed = models.ForeignKey(Bed, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    to_bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    moved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["moved_at", "id"]
        verbose_name = _("moved stay")
