"""Every record Trappa holds about a person, for the citizen's copy (trappa/api/copy.py, issue #18).

`RECORDS` names each model that holds a person's data and how its rows reach the person; the copy
shows the rows of each in the PDF (field by field, with the fields' own labels) and sends each as a
FHIR resource in the Bundle: a suitable resource where one fits (`build`), else `Basic` with the
fields as extensions. `IN_OWN_SECTION` are those the copy and `Reader.everything` already tell in
sections and resources of their own, and `EXCLUDED` those deliberately left out, each with its
reason. tests/api/test_citizen_copy.py walks Django's app registry: a model that reaches a person
through its foreign keys and is in none of the three fails the test, so a new record is not missed.
"""

import datetime
import decimal
import json
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from trappa.assessments import instruments
from trappa.caregivers.models import STRAIN_INSTRUMENT
from trappa.daycare.models import WEEKDAY_CHOICES
from trappa.outreach import rules
from trappa.people.models import Person

# Told in sections of their own (copy.py's PDF, reading.Reader's resources in the Bundle).
IN_OWN_SECTION = {
    "people.Person": "the register entry (Patient)",
    "people.PersonRelation": "relations (RelatedPerson), the other person named only with a grant",
    "people.ServiceDecision": "decisions (EpisodeOfCare)",
    "assessments.HomeVisit": "home visits (Encounter)",
    "assessments.Screening": "screenings (QuestionnaireResponse and Observation)",
    "referrals.Referral": "referrals and pathways (ServiceRequest), with the pathway's details",
    "referrals.Enrollment": "courses, groups and day-care places (EpisodeOfCare)",
    "caregivers.CaregiverLink": "caregivers (RelatedPerson), the other person named only with a grant",
    "caregivers.Consent": "consents (Consent)",
    "audit.AccessLogEntry": "the access log with reasons (AuditEvent)",
}

# Deliberately not in the copy. None today: every person-linked model is personal data.
EXCLUDED = {}


@dataclass(frozen=True)
class Record:
    label: str  # "app.Model"
    lookups: tuple  # paths from a row to the person (any of them)
    heading: str  # the section heading, translated when shown (marked with gettext_noop)


# In the order of the PDF's sections.
RECORDS = (
    Record("outreach.DischargeNotice", ("person",), gettext_noop("Hospital discharges")),
    Record("referrals.ReferralStep", ("referral__person",), gettext_noop("Referral history")),
    Record(
        "referrals.PhysiotherapySession",
        ("referral__person",),
        gettext_noop("Physiotherapy during a rehabilitation stay"),
    ),
    Record("referrals.OutcomeMeasurement", ("referral__person",), gettext_noop("Measurements during a pathway")),
    Record("referrals.FirstContactMapping", ("person",), gettext_noop("Mapping at first contact")),
    Record("referrals.IndividualPlan", ("person",), gettext_noop("Individual plan")),
    Record("referrals.PlanGoal", ("plan__person",), gettext_noop("Goals of the individual plan")),
    Record("referrals.PlanMeasure", ("goal__plan__person",), gettext_noop("Measures of the individual plan")),
    Record("referrals.ResponsibilityGroupMember", ("plan__person",), gettext_noop("Responsibility group")),
    Record("referrals.Attendance", ("enrollment__person",), gettext_noop("Attendance")),
    Record("daycare.AttendanceDays", ("enrollment__person",), gettext_noop("Days at the day-care place")),
    Record("people.WelfareTechnology", ("person",), gettext_noop("Welfare technology")),
    Record("activity.DeviceRequest", ("person",), gettext_noop("Requests for assistive devices")),
    Record("activity.DeviceLoan", ("person",), gettext_noop("Assistive devices lent")),
    Record("activity.Stay", ("person",), gettext_noop("Stays on a ward")),
    Record("activity.PathwayRegistration", ("person",), gettext_noop("Mental health pathways")),
    Record("outreach.MedicineList", ("person",), gettext_noop("Medicine lists")),
    Record("outreach.DisabilityBenefit", ("person",), gettext_noop("Disability benefit")),
    Record("respite.RespiteDecision", ("person",), gettext_noop("Respite decisions")),
    Record("respite.PlannedStay", ("decision__person",), gettext_noop("Planned respite stays")),
    Record("respite.StayMove", ("stay__decision__person",), gettext_noop("Respite stays moved")),
    Record("respite.RespiteBooking", ("person",), gettext_noop("Respite bookings")),
    Record("volunteers.VisitingFriendMatch", ("person",), gettext_noop("Visiting friends")),
    Record("outreach.WorklistEntry", ("person",), gettext_noop("On the work list")),
    Record("outreach.Contact", ("person",), gettext_noop("Contacts")),
    Record("letters.SentLetter", ("person",), gettext_noop("Letters sent")),
    Record("people.PersonFieldChange", ("person",), gettext_noop("Changes to the register entry")),
    Record("audit.CareRelationship", ("person",), gettext_noop("Care relationships (who may see your data)")),
    Record("audit.EmergencyAccess", ("person",), gettext_noop("Emergency access")),
    # The caregiver's own mapping and the prompts for it are the caregiver's data: in their copy only.
    Record("caregivers.Mapping", ("link__caregiver",), gettext_noop("Mapping of your situation as a caregiver")),
    Record("caregivers.MappingPrompt", ("link__caregiver",), gettext_noop("Caregiver mappings due")),
    Record(
        "caregivers.InformationEntry", ("link__recipient", "link__caregiver"), gettext_noop("Information to caregivers")
    ),
    Record("caregivers.Agreement", ("link__recipient", "link__caregiver"), gettext_noop("Cooperation agreements")),
    Record(
        "caregivers.AdvanceCareNote", ("link__recipient", "link__caregiver"), gettext_noop("Advance care conversations")
    ),
)

# Fields that are bookkeeping, not data about the person.
TECHNICAL = {"id", "municipality", "batch", "idempotency_key", "sequence", "next_sequence"}

# Fields with nothing to tell the citizen: a care relationship's source is what created it, a code
# ("referral:12", "group:3"), and its kind already says so in words.
OMITTED = {("audit.CareRelationship", "source")}

# The labels of the fields whose verbose_name Django made from the field's name (not translated),
# by field name: the copy shows these instead. tests/api/test_citizen_copy.py checks that every field
# the copy shows has a label translated in bokmål, so a new field without one fails.
LABELS = {
    "added_at": gettext_lazy("Added"),
    "answers": gettext_lazy("Answers"),
    "area": gettext_lazy("Area"),
    "assigned_to": gettext_lazy("Assigned to"),
    "at": gettext_lazy("When"),
    "bed": gettext_lazy("Bed"),
    "birth_date": gettext_lazy("Birth date"),
    "by": gettext_lazy("Recorded by"),
    "changed_at": gettext_lazy("Changed"),
    "changed_by": gettext_lazy("Changed by"),
    "created_at": gettext_lazy("Created"),
    "created_by": gettext_lazy("Created by"),
    "done_at": gettext_lazy("Done"),
    "done_by": gettext_lazy("Done by"),
    "due": gettext_lazy("Due"),
    "end": gettext_lazy("End"),
    "end_reason": gettext_lazy("Reason for ending"),
    "ended_at": gettext_lazy("Ended"),
    "expires_at": gettext_lazy("Expires"),
    "family_name": gettext_lazy("Family name"),
    "field": gettext_lazy("Field"),
    "from_bed": gettext_lazy("From bed"),
    "given_name": gettext_lazy("Given name"),
    "granted_at": gettext_lazy("Granted"),
    "instrument_id": gettext_lazy("Instrument"),
    "instrument_version": gettext_lazy("Instrument version"),
    "kind": gettext_lazy("Kind"),
    "measured_on": gettext_lazy("Measured on"),
    "moment": gettext_lazy("Time of measurement"),
    "moved_at": gettext_lazy("Moved"),
    "moved_by": gettext_lazy("Moved by"),
    "new_value": gettext_lazy("New value"),
    "not_tested": gettext_lazy("Not tested"),
    "not_tested_reason": gettext_lazy("Reason not tested"),
    "old_value": gettext_lazy("Old value"),
    "on": gettext_lazy("Date"),
    "option_bed": gettext_lazy("Alternative bed"),
    "option_end": gettext_lazy("Alternative end"),
    "option_kind": gettext_lazy("Alternative"),
    "option_start": gettext_lazy("Alternative start"),
    "plan": gettext_lazy("Respite plan"),
    "present": gettext_lazy("Present"),
    "priority": gettext_lazy("Priority"),
    "reason": gettext_lazy("Reason"),
    "reasons": gettext_lazy("Reasons"),
    "reference": gettext_lazy("Reference"),
    "register_value": gettext_lazy("Value in the population register"),
    "session": gettext_lazy("Session"),
    "start": gettext_lazy("Start"),
    "started_at": gettext_lazy("Started"),
    "status": gettext_lazy("Status"),
    "strain_answers": gettext_lazy("Answers on strain"),
    "strain_band": gettext_lazy("Strain"),
    "strain_total": gettext_lazy("Strain score"),
    "to_bed": gettext_lazy("To bed"),
    "total": gettext_lazy("Total"),
    "unit": gettext_lazy("Unit"),
    "updated_at": gettext_lazy("Updated"),
    "user": gettext_lazy("Member of staff"),
    "version": gettext_lazy("Version"),
    "volunteer": gettext_lazy("Volunteer"),
    "ward": gettext_lazy("Ward"),
}

# A respite stay left out: what would fit instead (trappa/respite/planner.py's Option.kind).
OPTION_KINDS = {"shift": gettext_lazy("Moved to other weeks"), "shorten": gettext_lazy("Shortened")}


def person_linked_models():
    """Every model whose foreign keys lead (directly or through other such models) to a person."""
    linked = {Person}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model not in linked and any(f.related_model in linked for f in _foreign_keys(model)):
                linked.add(model)
                changed = True
    return linked


def _foreign_keys(model):
    return [f for f in model._meta.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)]


def rows(record, person):
    model = apps.get_model(record.label)
    where = Q()
    for lookup in record.lookups:
        where |= Q(**{lookup: person})
    related = [f.name for f in _foreign_keys(model) if f.name not in TECHNICAL]
    return list(model._default_manager.filter(where).select_related(*related).order_by("pk"))


def fields(obj, linked):
    """The row's data as [(field name, label, text)]: no empty field, no bookkeeping, and no link to a
    person or to another of the person's records (so no other person is named through it)."""
    result = []
    for field in shown_fields(type(obj), linked):
        if field.is_relation:
            other = getattr(obj, field.name)
            if other is None:
                continue
            if other._meta.label == settings.AUTH_USER_MODEL:
                text = other.get_full_name() or other.username
            else:
                text = str(other)
        else:
            value = getattr(obj, field.attname)
            if value in (None, "", [], {}):
                continue
            text = _text(obj, field, value)
        result.append((field.name, str(label(field)), text))
    return result


def shown_fields(model, linked):
    """The model's fields the copy may show (when not empty)."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.name not in TECHNICAL
        and not field.primary_key
        and not (field.is_relation and field.related_model in linked)
        and (model._meta.label, field.name) not in OMITTED
    ]


def label(field):
    """The field's label: its own where translated, else the one in LABELS."""
    if isinstance(field.verbose_name, Promise):
        return field.verbose_name
    return LABELS.get(field.name, field.verbose_name)


def _text(obj, field, value):
    words = _words(obj, field, value)
    if words is not None:
        return words
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _words(obj, field, value):
    """A code told in words (weekdays, a band, an alternative, a field of the register entry, an instrument),
    or None to show the value as it is."""
    where = (obj._meta.label, field.name)
    language = translation.get_language()
    if where == ("daycare.AttendanceDays", "weekdays"):
        names = dict(WEEKDAY_CHOICES)
        return ", ".join(str(names[day]) for day in value if day in names)
    if where == ("caregivers.Mapping", "strain_band"):
        band = band_of(STRAIN_INSTRUMENT, value)
        return band.label.get(language) if band else None
    if where == ("referrals.OutcomeMeasurement", "instrument_id"):
        instrument = _instrument(value)
        return instrument.name.get(language) if instrument else None
    if where in {("outreach.WorklistEntry", "reasons"), ("outreach.Contact", "reasons")}:
        return _reasons(obj, value, language)
    if where == ("respite.PlannedStay", "option_kind"):
        return str(OPTION_KINDS[value]) if value in OPTION_KINDS else None
    if where == ("people.PersonFieldChange", "field"):
        try:
            return str(Person._meta.get_field(value).verbose_name)
        except FieldDoesNotExist:
            return None
    return None


def _reasons(obj, value, language):
    """The worklist's reasons (rule ids) under the labels of the municipality's rule file."""
    try:
        labels = rules.load(obj.municipality.slug).labels(language)
    except rules.RuleFileError:
        return None
    if not isinstance(value, list):
        return None
    return "; ".join(labels.get(rule_id, str(rule_id)) for rule_id in value)


def band_of(instrument_id, band_id):
    """The instrument's band (with its label in the three languages), or None where it is unknown."""
    instrument = _instrument(instrument_id)
    return instrument.band(band_id) if instrument else None


def _instrument(instrument_id):
    try:
        return instruments.get(instrument_id)
    except LookupError:
        return None


def first_date(obj):
    """The row's first date field (for FHIR's dates), or None."""
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname, None)
        if isinstance(value, datetime.date) and not field.name.endswith("_until"):
            return value
    return None
