"""Records of service activity that the plans count (seed 001): stays in institution
wards with their purpose, assistive-device requests and loans, and registrations in the
mental-health pathways 1–3.

These are records, one row per stay, request, loan or registration; the statistics
(statistics.py) are computed from them, never typed in. They come from the journal
system's extracts or are recorded by hand.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trappa.referrals.models import ServiceArea


class WardKind(models.TextChoices):
    INSTITUTION = "institution", _("Institution ward (short-term and long-term beds)")
    STAFFED_HOUSING = "staffed_housing", _("Housing with staff around the clock")


class Ward(models.Model):
    """A ward or housing with a number of places, e.g. Lokalmedisinsk senter with 11 short-term beds."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=WardKind.choices, default=WardKind.INSTITUTION)
    places = models.PositiveIntegerField(_("places"))
    # Which service's homes these are, e.g. Miljøterapitjenesten's 58 (seed 001 §5.6).
    service_area = models.CharField(_("service area"), max_length=30, choices=ServiceArea.choices, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="activity_ward_unique")]
        verbose_name = _("ward")

    def __str__(self):
        return self.name


class StayPurpose(models.TextChoices):
    # The decisions seed 001 §7.1 counts stays at Lokalmedisinsk senter by.
    REHABILITATION = "rehabilitation", _("Rehabilitation stay")
    SHORT_TERM = "short_term", _("Short-term stay")
    ROTATION = "rotation", _("Rotation stay")
    LONG_TERM = "long_term", _("Long-term stay")


class Stay(models.Model):
    """One stay on a ward, from the day of admission to the day of discharge (exclusive)."""

    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="stays")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="ward_stays")
    purpose = models.CharField(_("purpose"), max_length=20, choices=StayPurpose.choices)
    admitted_on = models.DateField(_("admitted on"))
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    # A rehabilitation stay has a rehabilitation plan and physiotherapy every day (seed 001 §7.1).
    rehabilitation_plan_on = models.DateField(_("rehabilitation plan made on"), null=True, blank=True)
    physiotherapy_minutes_per_day = models.PositiveIntegerField(
        _("physiotherapy, minutes per day"), null=True, blank=True
    )

    class Meta:
        ordering = ["admitted_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True) | Q(discharged_on__gte=models.F("admitted_on")),
                name="activity_stay_dates_in_order",
            )
        ]
        verbose_name = _("stay")


class DeviceRequest(models.Model):
    """A new request from a resident for an assistive device or adaptation (seed 001 §5.8)."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="device_requests"
    )
    received_on = models.DateField(_("received on"))

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["municipality", "received_on"])]


class LoanKind(models.TextChoices):
    # The municipality lends for needs under two years; NAV's centre for longer (seed 001 §5.8).
    SHORT_TERM = "short_term", _("Short-term loan from the municipal store (under two years)")
    LONG_TERM = "long_term", _("Long-term loan from NAV's assistive technology centre")


class DeviceLoan(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="device_loans")
    device = models.CharField(_("device"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=LoanKind.choices)
    lent_on = models.DateField(_("lent on"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    value = models.DecimalField(_("value, kr"), max_digits=10, decimal_places=0, null=True, blank=True)

    class Meta:
        ordering = ["-lent_on", "-id"]


class MentalHealthPathway(models.IntegerChoices):
    # The main pathways of seed 001 §6, by how severe and lasting the problems are.
    MILD = 1, _("Pathway 1: mild and short-lasting problems")
    SEVERE_SHORT_OR_MILD_LONG = 2, _("Pathway 2: severe short-lasting or mild long-lasting problems")
    SEVERE_LONG = 3, _("Pathway 3: severe and long-lasting problems")


class PathwayRegistration(models.Model):
    """A person registered with the substance-use and psychiatry service in one pathway, for a period."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="pathway_registrations")
    pathway = models.PositiveSmallIntegerField(_("pathway"), choices=MentalHealthPathway.choices)
    registered_from = models.DateField(_("registered from"))
    registered_to = models.DateField(_("registered to"), null=True, blank=True)
    medication_assisted = models.BooleanField(_("medication-assisted rehabilitation (LAR)"), default=False)

    class Meta:
        ordering = ["registered_from", "id"]
