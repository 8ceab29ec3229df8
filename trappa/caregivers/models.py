"""Caregivers: who cares for whom, mappings, consent to share, the information log, agreements and notes.

A caregiver is a Person (living in the municipality or not) linked to a care
recipient by a PersonRelation of kind caregiver; `CaregiverLink` holds what the
service knows about that caring. Everything hangs on the link, and access goes
through the recipient: the one whose health data it is.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappa.accounts.models import Department
from trappa.assessments import instruments
from trappa.people.models import Person, PersonRelation, ServiceDecision

CHILD_AGE = 18  # caregivers under this age are children, with a legal duty to follow them up
STRAIN_INSTRUMENT = "caregiver_strain_index"
HIGH_STRAIN_BAND = "high_strain"  # the instrument file's band (Robinson 1983: 7 or more)
MAPPING_DUE_DAYS = 30  # a prompted mapping is overdue this long after the transition


class CaregiverLink(models.Model):
    relation = models.OneToOneField(PersonRelation, on_delete=models.PROTECT, related_name="caregiver_link")
    caregiver = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="caring_for")
    recipient = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cared_for_by")
    relationship = models.CharField(_("relationship"), max_length=100, help_text=_("E.g. daughter, neighbour."))
    hours_per_week = models.PositiveSmallIntegerField(_("hours of care per week"), null=True, blank=True)
    other_duties = models.CharField(_("other caring duties"), max_length=300, blank=True)
    work_or_study = models.CharField(_("work or study"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["caregiver", "recipient"], name="caregiver_link_unique")]
        verbose_name = _("caregiver")

    @property
    def nearest_relative(self):
        return self.relation.nearest_relative

    def is_child(self, today=None):
        return self.caregiver.age_on(today or timezone.localdate()) < CHILD_AGE


class ConsentTopic(models.TextChoices):
    """What the recipient may agree to share with a caregiver."""

    SERVICES = "services", _("Services and decisions")
    RESPITE = "respite", _("Planned respite stays")
    HEALTH = "health", _("Health and assessments")
    APPOINTMENTS = "appointments", _("Appointments and contacts")


class Consent(models.Model):
    """The recipient's consent to share one topic with one caregiver; withdrawn consent is kept, ended."""

    link = models.ForeignKey(CaregiverLink, on_delete=models.PROTECT, related_name="consents")
    topic = models.CharField(_("what may be shared"), max_length=20, choices=ConsentTopic.choices)
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        ordering = ["given_at"]


def consented_topics(link, at=None):
    at = at or timezone.now()
    current = link.consents.filter(given_at__lte=at).exclude(withdrawn_at__lte=at)
    return set(current.values_list("topic", flat=True))


class MappingReason(models.TextChoices):
    SERVICE_START = "service_start", _("The care recipient started a service")
    TRANSITION = "transition", _("The care recipient moved between levels of care")
    MANUAL = "manual", _("Asked for by staff")


class MappingPrompt(models.Model):
    """A mapping the caregiver is due, raised automatically by a service start or a transition."""

    link = models.ForeignKey(CaregiverLink, on_delete=models.PROTECT, related_name="prompts")
    reason = models.CharField(max_length=20, choices=MappingReason.choices)
    service_decision = models.ForeignKey(ServiceDecision, on_delete=models.PROTECT, null=True, blank=True)
    due = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due"]
        constraints = [models.UniqueConstraint(fields=["link", "service_decision"], name="mapping_prompt_once")]

    @staticmethod
    def due_after(day):
        return day + datetime.timedelta(days=MAPPING_DUE_DAYS)


class Mapping(models.Model):
    """Kartlegging: the caregiver's situation and needs, what matters to them, and their strain."""

    link = models.ForeignKey(CaregiverLink, on_delete=models.PROTECT, related_name="mappings")
    situation = models.TextField(_("situation"))
    needs = models.TextField(_("needs"), blank=True)
    what_matters = models.TextField(_("what matters to you?"), blank=True)
    strain_answers = models.JSONField(default=dict, blank=True)
    strain_total = models.PositiveSmallIntegerField(null=True, blank=True)
    strain_band = models.CharField(max_length=30, blank=True)
    instrument_version = models.CharField(max_length=20, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-done_at", "-id"]

    @property
    def high_strain(self):
        band = instruments.get(STRAIN_INSTRUMENT).band(HIGH_STRAIN_BAND)
        return self.strain_total is not None and band.min <= self.strain_total <= band.max


class InformationDirection(models.TextChoices):
    TO_CAREGIVER = "to_caregiver", _("The service told the caregiver")
    FROM_CAREGIVER = "from_caregiver", _("The caregiver told the service")


class InformationEntry(models.Model):
    link = models.ForeignKey(CaregiverLink, on_delete=models.PROTECT, related_name="information")
    direction = models.CharField(_("direction"), max_length=20, choices=InformationDirection.choices)
    summary = models.TextField(_("what was said"))
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        ordering = ["-at", "-id"]


class Agreement(models.Model):
    """Samarbeidsavtale. A change is a new version; earlier versions are kept as they were signed."""

    link = models.ForeignKey(CaregiverLink, on_delete=models.PROTECT, related_name="agreements")
    version = models.PositiveSmallIntegerField()
    caregiver_does = models.TextField(_("what the caregiver does"))
    service_does = models.TextField(_("what the service does"))
    review_date = models.DateField(_("review date"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["link", "version"], name="agreement_version_unique")]


class AdvanceCareNote(models.Model):
    """Notes from an advance care conversation (forhåndssamtale) with the recipient and caregiver."""

    link = models.ForeignKey(CaregiverLink, on_delete=models.PROTECT, related_name="advance_care_notes")
    note = models.TextField(_("note"))
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        ordering = ["-at", "-id"]


class CaregiverContact(models.Model):
    """The caregiver contact (pårørendekontakt) of a department."""

    department = models.OneToOneField(Department, on_delete=models.PROTECT, related_name="caregiver_contact")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
