"""The people register: persons, relations, the services they already receive,
their care relationships with staff, and the history of every change."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappa.accounts.models import Municipality, Unit, WrittenStandard


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class MaritalStatus(models.TextChoices):
    """Folkeregisteret's sivilstand, in English."""

    UNMARRIED = "unmarried", _("Unmarried")
    MARRIED = "married", _("Married")
    WIDOWED = "widowed", _("Widowed")
    DIVORCED = "divorced", _("Divorced")
    SEPARATED = "separated", _("Separated")
    REGISTERED_PARTNER = "registered_partner", _("Registered partner")
    SURVIVING_PARTNER = "surviving_partner", _("Surviving partner")
    SEPARATED_PARTNER = "separated_partner", _("Separated partner")
    DIVORCED_PARTNER = "divorced_partner", _("Divorced partner")
    UNKNOWN = "unknown", _("Unknown")


# Statuses that mean the person has lost a spouse or partner.
BEREAVED_STATUSES = (MaritalStatus.WIDOWED, MaritalStatus.SURVIVING_PARTNER)


class PersonQuerySet(models.QuerySet):
    def in_municipality(self, municipality):
        return self.filter(municipality=municipality)

    def active(self):
        """Alive and still living in the municipality: the ones follow-up is for.

        A move dated in the future (the register knows it in advance) takes effect on its date."""
        moving_later = models.Q(date_moved_out__isnull=True) | models.Q(date_moved_out__gt=timezone.localdate())
        return self.filter(moving_later, date_of_death__isnull=True)

    def alive_on(self, day):
        """Born before `day` and not dead before it (the day of death itself still counts)."""
        q = self.filter(birth_date__lt=day)
        return q.filter(models.Q(date_of_death__isnull=True) | models.Q(date_of_death__gte=day))


class Person(models.Model):
    """A resident, or a caregiver who may live elsewhere.

    `municipality` is the municipality that holds this record (the data owner);
    `municipality_number` is where the person is registered as living.
    """

    # No index of its own: the unique (municipality, national_id) and the indexes below lead with it,
    # and every index is written by each row a register import inserts.
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="persons", db_index=False)
    national_id = models.CharField(_("national identity number"), max_length=11)
    given_name = models.CharField(_("given name"), max_length=200)
    family_name = models.CharField(_("family name"), max_length=200)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    street_address = models.CharField(_("address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=4, blank=True)
    postal_place = models.CharField(_("postal place"), max_length=100, blank=True)
    area = models.CharField(_("area"), max_length=100, blank=True)
    # Optional register columns (docs/register-format.md): how staff reach the person.
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    municipality_number = models.CharField(_("municipality of residence"), max_length=4)
    marital_status = models.CharField(
        _("marital status"), max_length=20, choices=MaritalStatus.choices, default=MaritalStatus.UNKNOWN
    )
    marital_status_date = models.DateField(_("marital status since"), null=True, blank=True)
    living_alone = models.BooleanField(_("lives alone"), default=False)
    date_of_death = models.DateField(_("date of death"), null=True, blank=True)
    date_moved_out = models.DateField(_("date moved out"), null=True, blank=True)
    interpreter_needed = models.BooleanField(_("needs interpreter"), default=False)
    language = models.CharField(_("language"), max_length=50, blank=True)
    written_standard = models.CharField(
        _("written standard"), max_length=2, choices=WrittenStandard.choices, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "national_id"], name="person_national_id_unique")
        ]
        indexes = [
            models.Index(fields=["municipality", "birth_date"]),
            # The area filters (outreach) within one municipality; no LIKE index, nothing searches by prefix.
            models.Index(fields=["municipality", "area"], name="person_area"),
            # The few who have died: the outreach rule for a close relation's death reads the recent ones
            # (a scan of the whole register for each build without it).
            models.Index(
                fields=["date_of_death"], name="person_deaths", condition=models.Q(date_of_death__isnull=False)
            ),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.given_name} {self.family_name}"

    @property
    def is_active(self):
        """Alive, and not moved out yet (a future move takes effect on its date)."""
        moved = self.date_moved_out is not None and self.date_moved_out <= timezone.localdate()
        return self.date_of_death is None and not moved

    @property
    def age(self):
        """Age in whole years today."""
        return self.age_on(timezone.localdate())

    def age_on(self, day):
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    def preferred_written_standard(self):
        return self.written_standard or self.municipality.written_standard


class RelationKind(models.TextChoices):
    SPOUSE = "spouse", _("Spouse or partner")
    PARENT = "parent", _("Parent of")
    CAREGIVER = "caregiver", _("Caregiver of")


class PersonRelation(models.Model):
    """`from_person` is <kind> of `to_person` (e.g. a caregiver of a care recipient)."""

    from_person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relations_from")
    to_person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relations_to")
    kind = models.CharField(_("relation"), max_length=20, choices=RelationKind.choices)
    nearest_relative = models.BooleanField(_("nearest relative"), default=False)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_person", "to_person", "kind"], name="relation_unique"),
            models.CheckConstraint(condition=~Q(from_person=models.F("to_person")), name="relation_not_self"),
        ]
        verbose_name = _("relation")
        verbose_name_plural = _("relations")


class ServiceKind(models.TextChoices):
    PRACTICAL_HELP = "practical_help", _("Practical help")
    HOME_NURSING = "home_nursing", _("Home nursing")
    SAFETY_ALARM = "safety_alarm", _("Safety alarm")
    TRANSPORT_CARD = "transport_card", _("Transport card (TT card)")
    DAY_CARE = "day_care", _("Day care")
    SHORT_TERM_STAY = "short_term_stay", _("Short-term stay")
    ROTATION_STAY = "rotation_stay", _("Rotation stay")
    LONG_TERM_INSTITUTION = "long_term_institution", _("Long-term institution")
    AMBULANT_TEAM = "ambulant_team", _("Ambulant team in the person's own home")


class ServiceDecision(models.Model):
    """A decision (vedtak) granting a municipal service, from the imported extract."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="decisions")
    decision_id = models.CharField(_("decision reference"), max_length=50)
    service = models.CharField(_("service"), max_length=30, choices=ServiceKind.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "decision_id"], name="decision_id_unique_per_person")]
        indexes = [models.Index(fields=["service", "start_date"])]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def is_active_on(self, day):
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class WelfareTechnologyKind(models.TextChoices):
    # The solutions Nord-Aurdal's plan (seed 004 §5.3) lists from the Directorate of Health.
    SAFETY_ALARM = "safety_alarm", _("Digital safety alarm")
    GPS = "gps", _("Location technology (GPS)")
    MEDICINE_DISPENSER = "medicine_dispenser", _("Electronic medicine dispenser")
    ELECTRONIC_LOCK = "electronic_lock", _("Electronic door lock")
    DIGITAL_SUPERVISION = "digital_supervision", _("Digital supervision")


class WelfareTechnology(models.Model):
    """A welfare technology a person has, from a decision or recorded by staff, and since when."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="welfare_technology")
    kind = models.CharField(_("technology"), max_length=30, choices=WelfareTechnologyKind.choices)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    decision = models.ForeignKey(
        ServiceDecision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decision")
    )

    class Meta:
        ordering = ["-since", "id"]
        verbose_name = _("welfare technology")

    def is_active_on(self, day):
        return self.since <= day and (self.until is None or self.until >= day)


class ImportKind(models.TextChoices):
    PERSONS = "persons", _("Register extract (persons)")
    DECISIONS = "decisions", _("Services (decisions)")
    RELATIONS = "relations", _("Relations")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    REJECTED = "rejected", _("Rejected")
    DRY_RUN = "dry_run", _("Checked (dry run, nothing written)")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ImportBatch(models.Model):
    """One import of one file: what it was, who ran it and what it did."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="imports")
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    # The background job that ran the import (none from the command line): failed with it if its worker dies.
    job = models.ForeignKey("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # When the register extracted the file (from its name, or given): an older file never undoes a newer one.
    extracted_on = models.DateField(null=True, blank=True)
    # Why this import may undo deaths (a correction of the register), given explicitly; empty otherwise.
    correction_reason = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    ended_follow_up = models.PositiveIntegerField(default=0)
    # How many lines had problems; `errors` lists the first 10,000 problems.
    bad_rows = models.PositiveIntegerField(default=0)
    # Every bad row as {"line": n, "column": name, "reason": text}. Reasons never
    # repeat the value itself, so a report can be shown without personal data.
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]


class PersonFieldChange(models.Model):
    """History: one changed field of one person, and the import or the staff member that changed it."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="changes")
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, null=True, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    field = models.CharField(max_length=50)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    changed_at = models.DateTimeField(default=timezone.now)
    # A correction by staff (no batch) says why, and which register value it overrides: the
    # import keeps the correction while the register still has that value (trappa/people/contact.py).
    reason = models.CharField(max_length=300, blank=True)
    register_value = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at", "id"]
