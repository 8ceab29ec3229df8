"""Builds the register rows a rule-file case describes (see docs/outreach-formats.md)."""

import datetime
import itertools
import uuid

from django.utils import timezone

from trappa.assessments.models import HomeVisit, Screening
from trappa.lib.national_id import make_synthetic
from trappa.outreach.models import Contact, DisabilityBenefit, DischargeNotice, MedicineList
from trappa.people.models import (
    ImportBatch,
    Person,
    PersonRelation,
    RelationKind,
    ServiceDecision,
    WelfareTechnology,
)

_serials = itertools.count()
PERSON_FIELDS = (
    "birth_date",
    "marital_status",
    "marital_status_date",
    "living_alone",
    "interpreter_needed",
    "date_of_death",
    "date_moved_out",
    "area",
)


def aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def make_case_person(case, municipality, nurse):
    spec = case["person"]
    fields = {name: spec[name] for name in PERSON_FIELDS if name in spec}
    person = _person(municipality, spec["birth_date"], fields, spec.get("lives_elsewhere", False))
    for number, service in enumerate(spec.get("services", [])):
        ServiceDecision.objects.create(
            person=person,
            decision_id=f"case-{number}",
            service=service["service"],
            start_date=service["start"],
            end_date=service.get("end"),
        )
    if spec.get("discharged") or spec.get("disability_benefit"):
        batch = ImportBatch.objects.create(municipality=municipality, kind="discharges", file_name="case.csv")
        for day in spec.get("discharged", []):
            DischargeNotice.objects.create(person=person, discharged_on=day, batch=batch)
        if spec.get("disability_benefit"):
            DisabilityBenefit.objects.create(person=person, batch=batch)
    for technology in spec.get("technologies", []):
        WelfareTechnology.objects.create(person=person, kind=technology["kind"], since=technology["since"])
    for medicines in spec.get("medicine_lists", []):
        MedicineList.objects.create(
            person=person,
            reported_on=medicines["on"],
            medicines=medicines["medicines"],
            diagnoses=medicines.get("diagnoses"),
        )
    for relation in spec.get("relations_died", []):
        other = _person(municipality, datetime.date(1930, 1, 1), {"date_of_death": relation["died_on"]}, False)
        ends = (other, person) if relation.get("incoming") else (person, other)
        PersonRelation.objects.create(from_person=ends[0], to_person=ends[1], kind=relation["kind"])
    if spec.get("cares_for"):
        cared_for = _person(municipality, datetime.date(1940, 1, 1), {}, False)
        PersonRelation.objects.create(
            from_person=person, to_person=cared_for, kind=RelationKind.CAREGIVER, valid_to=spec.get("care_ended")
        )
    for contact in spec.get("contacts", []):
        Contact.objects.create(
            municipality=municipality,
            person=person,
            channel="phone",
            outcome=contact["outcome"],
            at=aware(contact["on"]),
            do_not_contact=contact.get("do_not_contact", False),
        )
    for visit in spec.get("visits", []):
        _visit(person, nurse, visit)
    return person


def _person(municipality, birth_date, fields, lives_elsewhere):
    # Round and round: every test's persons are rolled back, and a date has about 200 numbers of one sex.
    serial = 100 + next(_serials) % 100
    return Person.objects.create(
        municipality=municipality,
        national_id=make_synthetic(birth_date, "F", serial),
        given_name=f"Case{serial}",
        family_name="Person",
        sex="F",
        municipality_number="0301" if lives_elsewhere else municipality.number,
        **{"birth_date": birth_date, **fields},
    )


def _visit(person, nurse, visit):
    record = HomeVisit.objects.create(
        municipality=person.municipality,
        person=person,
        visited_on=visit["on"],
        visited_by=nurse,
        idempotency_key=uuid.uuid4(),
    )
    for screening in visit.get("screenings", []):
        Screening.objects.create(
            visit=record,
            person=person,
            instrument_id=screening["instrument"],
            instrument_version="test",
            answers={},
            band=screening.get("band", ""),
            item_points=screening.get("item_points", {}),
            screened_on=visit["on"],
        )
