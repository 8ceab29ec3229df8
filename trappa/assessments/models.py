"""Preventive home visits and the screenings recorded during them.

A visit follows the four perspectives of the national guidance on preventive
home visits (seed 003): a resource-focused conversation ("what matters to
you?"), preventing disease and injury, health advice and information about
offerings, and uncovering functional decline with screening.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappa.accounts.models import Municipality
from trappa.people.models import Person


class Topic(models.TextChoices):
    """The topic checklist of a visit, grouped by the guidance's perspectives."""

    HEALTH = "health", _("Health and well-being")
    MEDICINES = "medicines", _("Medicines")
    FALLS = "falls", _("Falls and fall prevention")
    FIRE = "fire", _("Fire safety (smoke alarm, extinguisher)")
    HOME = "home", _("The home: stairs, rugs, lighting, bathroom")
    NUTRITION = "nutrition", _("Food, drink and weight")
    ACTIVITY = "activity", _("Physical activity")
    SOCIAL = "social", _("Social contact and loneliness")
    MEMORY = "memory", _("Memory")
    HEARING_VISION = "hearing_vision", _("Hearing and vision")
    TEETH = "teeth", _("Teeth and mouth")
    CAREGIVING = "caregiving", _("Caring for someone")
    FUTURE = "future", _("Planning for the future (housing, advance care)")
    OFFERINGS = "offerings", _("The municipality's offerings")


class FactAnswer(models.TextChoices):
    UNKNOWN = "", _("Not asked")
    YES = "yes", _("Yes")
    NO = "no", _("No")


class HomeVisitQuerySet(models.QuerySet):
    def for_person(self, person):
        return self.filter(person=person)


class HomeVisit(models.Model):
    """One preventive home visit.

    `idempotency_key` is made when the form is first shown and sent with it, so
    a form submitted twice (a retry after a lost connection) is stored once.
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="home_visits")
    visited_on = models.DateField(_("date of the visit"))
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.UUIDField(unique=True)
    # 1. Resource-focused conversation.
    what_matters = models.TextField(_("What matters to you?"), blank=True)
    resources = models.TextField(_("Resources and what the person manages well"), blank=True)
    goals = models.TextField(_("Goals, in the person's own words"), blank=True)
    # 2. Preventing disease and injury.
    prevention = models.TextField(_("Preventing disease and injury (falls, fire)"), blank=True)
    # 3. Health advice and information about offerings.
    advice = models.TextField(_("Advice and information given"), blank=True)
    # 4. Uncovering functional decline (screenings are stored beside the visit).
    function = models.TextField(_("Signs of functional decline"), blank=True)
    topics = models.JSONField(_("topics talked about"), default=list, blank=True)
    walks_indoors_without_aids = models.CharField(
        _("Walks indoors without aids"), max_length=3, choices=FactAnswer.choices, blank=True
    )
    feels_unsteady = models.CharField(
        _("Feels unsteady in some situations"), max_length=3, choices=FactAnswer.choices, blank=True
    )
    consent_follow_up = models.BooleanField(_("Agrees to be contacted again about offerings"), default=False)
    consent_share_with_gp = models.BooleanField(_("Agrees that the results are sent to the GP"), default=False)
    consent_involve_caregiver = models.BooleanField(_("Agrees that a caregiver is involved"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = HomeVisitQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["person", "visited_on"])]

    def facts(self):
        """What the visit tells the eligibility engine; an unasked question stays unknown."""
        facts = {}
        for name in ("walks_indoors_without_aids", "feels_unsteady"):
            value = getattr(self, name)
            if value:
                facts[name] = value == FactAnswer.YES
        return facts


class Screening(models.Model):
    """An instrument scored by the instrument engine during a visit.

    The instrument's id and version are stored with the answers, so a result
    can be re-read against the version that scored it.
    """

    visit = models.ForeignKey(HomeVisit, on_delete=models.PROTECT, related_name="screenings")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="screenings")
    instrument_id = models.CharField(max_length=50)
    instrument_version = models.CharField(max_length=20)
    answers = models.JSONField()
    total = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    band = models.CharField(max_length=50, blank=True)
    item_points = models.JSONField(default=dict)
    screened_on = models.DateField()

    class Meta:
        ordering = ["instrument_id"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "instrument_id"], name="one_screening_per_instrument_per_visit")
        ]
        indexes = [models.Index(fields=["instrument_id", "band", "screened_on"])]
