"""Outreach: imported lists the rules read (discharge notices, disability benefit),
the worklist the rules build, and the log of every contact with a person."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappa.accounts.models import Municipality
from trappa.people.models import ImportBatch, Person


class DischargeNotice(models.Model):
    """A hospital discharge, from an imported list of discharge notices."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="discharge_notices")
    discharged_on = models.DateField(_("discharged on"))
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "discharged_on"], name="discharge_unique")]
        indexes = [models.Index(fields=["discharged_on"])]


class DisabilityBenefit(models.Model):
    """A person on the latest imported list of disability benefit recipients.

    Each import replaces the municipality's whole list: the list is a snapshot.
    """

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="disability_benefit")
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+")


class MedicineList(models.Model):
    """How many regular medicines and diagnoses a person has, from a list the GP or home service sends.

    Counts only, no names of medicines or diagnoses: enough for the multimorbidity and
    many-medicines risk group (seed 000 §2.4), and no more health data than that.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="medicine_lists")
    reported_on = models.DateField(_("reported on"))
    medicines = models.PositiveSmallIntegerField(_("regular medicines"))
    diagnoses = models.PositiveSmallIntegerField(_("diagnoses"), null=True, blank=True)
    source = models.CharField(_("from"), max_length=100, blank=True)

    class Meta:
        ordering = ["-reported_on", "-id"]


# The worklist's order: most urgent first, within a priority the oldest first, the person id last.
LIST_ORDER = ["priority", "birth_date", "family_name", "given_name", "person"]
LIST_ORDER_PREFIX = {
    "municipality": ["municipality", *LIST_ORDER],
    "area": ["municipality", "area", *LIST_ORDER],
    "assigned": ["assigned_to", *LIST_ORDER],
}


class WorklistEntryQuerySet(models.QuerySet):
    def in_municipality(self, municipality):
        return self.filter(municipality=municipality)


class WorklistEntry(models.Model):
    """One person on the health station's worklist, with every reason they are on it.

    `reasons` is a list of rule ids from the municipality's rule file; `priority`
    is the best (lowest) priority among them, so risk triggers come first.
    """

    # No index of their own for the municipality and the assigned nurse: the page's indexes (Meta) begin
    # with them, and each index more is written for every entry a build adds.
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+", db_index=False)
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="worklist_entry")
    reasons = models.JSONField(default=list)
    priority = models.PositiveSmallIntegerField(default=9)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    added_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Copies of the person's sort and filter keys, refreshed by every build, so that the page reads
    # one index in its own order instead of joining and sorting the register (trappa/outreach/listing.py).
    birth_date = models.DateField(null=True)
    family_name = models.CharField(max_length=200, default="")
    given_name = models.CharField(max_length=200, default="")
    area = models.CharField(max_length=100, default="")

    objects = WorklistEntryQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "person__family_name", "person__given_name"]
        # The page's order (LIST_ORDER), whole or within one area or one nurse's assignments; the
        # person id last makes every key unique, so keyset pages neither skip nor repeat a row.
        indexes = [
            models.Index(fields=LIST_ORDER_PREFIX["municipality"], name="worklist_order"),
            models.Index(fields=LIST_ORDER_PREFIX["area"], name="worklist_area_order"),
            # Only the entries given to a nurse: a build adds unassigned entries, which this index would
            # otherwise take too, each at the cost of comparing names (56,000 new entries: 1.6 -> 1.0 s).
            models.Index(
                fields=LIST_ORDER_PREFIX["assigned"],
                name="worklist_assigned_order",
                condition=models.Q(assigned_to__isnull=False),
            ),
        ]


class WorklistCounts(models.Model):
    """How many are on a municipality's worklist, in all and per filter value: kept by the build, so
    that the worklist page and the start page count nothing per request."""

    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+")
    built_at = models.DateTimeField()
    total = models.PositiveIntegerField(default=0)
    assigned = models.PositiveIntegerField(default=0)
    by_priority = models.JSONField(default=dict)
    by_area = models.JSONField(default=dict)
    by_reason = models.JSONField(default=dict)
    # What the build was built from (trappa/outreach/sql_build.inputs): the next build with the same stops at once.
    inputs = models.CharField(max_length=200, blank=True, default="", db_default="")


class Channel(models.TextChoices):
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Visit")


class Outcome(models.TextChoices):
    SENT = "sent", _("Sent, waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    NO_ANSWER = "no_answer", _("No answer")
    UNREACHABLE = "unreachable", _("Unreachable")
    MOVED = "moved", _("Moved")
    DIED = "died", _("Died")


# Outcomes after which the person is left alone for a while (settings: recent_contact_days).
CONCLUDED = (Outcome.DECLINED, Outcome.UNREACHABLE, Outcome.MOVED, Outcome.DIED)


class Contact(models.Model):
    """One contact with a person: a letter, a phone call or a visit, and how it went.

    `reasons` copies the worklist reasons at the time, so the acceptance rate
    per cohort stays true after the worklist is rebuilt.
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contacts")
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reasons = models.JSONField(default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    remind_on = models.DateField(_("remind me on"), null=True, blank=True)
    do_not_contact = models.BooleanField(_("asked not to be contacted again"), default=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "at"]), models.Index(fields=["municipality", "at"])]
