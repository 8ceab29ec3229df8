"""Volunteers and partners (seed 000 §3.0, §3.3.6; seed 002 §8; seed 004 §5.4).

A register of volunteers with their role, training, police certificate and the
physiotherapist or other member of staff who supervises them, and of partner
organisations with their cooperation agreements. Volunteers have no login and
see no health data: the register holds what the municipality needs to know
about them, and a visiting-friend match names a person only with that
person's consent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    VOLUNTEER_ORGANISATION = "volunteer_organisation", _("Volunteer organisation")
    FIRE_RESCUE = "fire_rescue", _("Fire and rescue service")
    DEMENTIA_TEAM = "dementia_team", _("Dementia team")
    SPECIALIST = "specialist", _("Specialist health service")
    OTHER = "other", _("Other partner")


class Partner(models.Model):
    """A partner organisation, and the cooperation agreement with it if there is one."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=PartnerKind.choices)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    agreement_signed_on = models.DateField(_("cooperation agreement signed on"), null=True, blank=True)
    agreement_until = models.DateField(_("agreement valid until"), null=True, blank=True)
    agreement_summary = models.TextField(_("what the agreement binds each side to"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="partner_name_unique")]
        verbose_name = _("partner")

    def __str__(self):
        return self.name

    def has_agreement_on(self, day):
        signed = self.agreement_signed_on is not None and self.agreement_signed_on <= day
        return signed and (self.agreement_until is None or self.agreement_until >= day)


class VolunteerRole(models.TextChoices):
    INSTRUCTOR = "instructor", _("Instructor (e.g. Sterk og stødig)")
    VISITING_FRIEND = "visiting_friend", _("Visiting friend")
    MEETING_POINT = "meeting_point", _("Host at the meeting point")
    OTHER = "other", _("Other")


class VolunteerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def certificate_due(self, day):
        """Active volunteers whose police certificate is missing or due for renewal by `day`."""
        return self.active().filter(
            Q(police_certificate_renew_on__isnull=True) | Q(police_certificate_renew_on__lte=day)
        )


class Volunteer(models.Model):
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    role = models.CharField(_("role"), max_length=20, choices=VolunteerRole.choices)
    organisation = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteers",
        verbose_name=_("organisation"),
    )
    training = models.CharField(_("training"), max_length=300, blank=True)
    trained_on = models.DateField(_("trained on"), null=True, blank=True)
    police_certificate_on = models.DateField(_("police certificate dated"), null=True, blank=True)
    police_certificate_renew_on = models.DateField(_("police certificate to be renewed by"), null=True, blank=True)
    # Volunteer instructors are supervised by a physiotherapist (seed 000 §3.3.6).
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_volunteers",
        verbose_name=_("supervisor"),
    )
    availability = models.CharField(_("availability"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("volunteer")

    def __str__(self):
        return self.name


class GroupAssignment(models.Model):
    """A volunteer helping to run a group or course."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="assignments")
    group = models.ForeignKey("referrals.Group", on_delete=models.PROTECT, related_name="volunteer_assignments")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [models.UniqueConstraint(fields=["volunteer", "group"], name="one_assignment_per_group")]


class VisitingFriendMatch(models.Model):
    """A visiting friend matched with a person, who consented to it: the only place a volunteer meets a person."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="matches")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="visiting_friends")
    consent_on = models.DateField(_("the person consented on"))
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-started_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(consent_on__lte=models.F("started_on")), name="match_consent_first")
        ]


class VolunteerHours(models.Model):
    """Hours a volunteer gave, for a group or otherwise (a visit, the meeting point)."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="hours")
    group = models.ForeignKey(
        "referrals.Group", on_delete=models.PROTECT, null=True, blank=True, related_name="volunteer_hours"
    )
    on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["-on", "id"]


class MeetingPoint(models.Model):
    """A meeting point for caregivers and volunteers (seed 002 §8: "Møtepunkt for pårørende og frivilligheten")."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("run with")
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="meeting_point_name_unique")]

    def __str__(self):
        return self.name


class Meeting(models.Model):
    """One meeting at a meeting point: its date, how many caregivers came (a count, no names) and the hosts."""

    meeting_point = models.ForeignKey(MeetingPoint, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("held on"))
    caregivers = models.PositiveSmallIntegerField(_("caregivers who came"))
    hosts = models.ManyToManyField(Volunteer, blank=True, related_name="meetings", verbose_name=_("volunteers hosting"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    class Meta:
        ordering = ["-held_on", "id"]
