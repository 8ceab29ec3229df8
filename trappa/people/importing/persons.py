"""The persons file: the register extract, one row per person."""

from django.utils import timezone
from django.utils.translation import gettext_noop

from trappa.people.contact import CONTACT_FIELDS, kept_corrections
from trappa.people.models import ImportKind, MaritalStatus, Person, PersonFieldChange, Sex
from trappa.people.signals import DIED, MOVED, follow_up_ended

from . import copy_merge
from . import fields as f
from .engine import GOES_BACK, Importer
from .report import Problem

BIRTH_DATE_DISAGREES = gettext_noop("Does not agree with the birth date in the national identity number.")
BEFORE_BIRTH = gettext_noop("The date is before the birth date.")
IN_THE_FUTURE = gettext_noop("The date is in the future.")
DUPLICATE = gettext_noop("The same national identity number is on an earlier line.")
DEATH_UNDONE = gettext_noop(
    "The register has a date of death for this person and the file has none. A death is undone only by a "
    "correction with its reason (the option to correct deaths)."
)
MOVE_WITHOUT_DATE = gettext_noop(
    "The person lived in the municipality and now lives in another, but the file has no date_moved_out."
)

SEXES = {"F": Sex.FEMALE, "M": Sex.MALE, "kvinne": Sex.FEMALE, "mann": Sex.MALE}
# Folkeregisteret's sivilstand codes.
MARITAL_STATUSES = {
    "ugift": MaritalStatus.UNMARRIED,
    "gift": MaritalStatus.MARRIED,
    "enkeEllerEnkemann": MaritalStatus.WIDOWED,
    "skilt": MaritalStatus.DIVORCED,
    "separert": MaritalStatus.SEPARATED,
    "registrertPartner": MaritalStatus.REGISTERED_PARTNER,
    "separertPartner": MaritalStatus.SEPARATED_PARTNER,
    "skiltPartner": MaritalStatus.DIVORCED_PARTNER,
    "gjenlevendePartner": MaritalStatus.SURVIVING_PARTNER,
    "uoppgitt": MaritalStatus.UNKNOWN,
}
WRITTEN_STANDARDS = {"nb": "nb", "nn": "nn"}
DATES_AFTER_BIRTH = ("marital_status_date", "date_of_death", "date_moved_out")


class PersonImporter(Importer):
    kind = ImportKind.PERSONS

    def __init__(self, batch, user=None):
        super().__init__(batch, user)
        # Integers take less memory than strings for the 700,000 numbers of a large extract.
        self.seen = set()
        self.today = timezone.localdate()

    def build_columns(self):
        return {
            "national_id": (True, f.national_id_number(self.allow_synthetic)),
            "given_name": (True, f.text(200, required=True)),
            "family_name": (True, f.text(200, required=True)),
            "birth_date": (True, f.date(required=True)),
            "sex": (True, f.choice(SEXES, required=True)),
            "street_address": (False, f.text(200)),
            "postal_code": (False, f.four_digits()),
            "postal_place": (False, f.text(100)),
            "area": (False, f.text(100)),
            "phone": (False, f.text(30)),
            "email": (False, f.text(254)),
            "municipality_number": (True, f.four_digits(required=True)),
            "marital_status": (False, f.choice(MARITAL_STATUSES, default=MaritalStatus.UNKNOWN)),
            "marital_status_date": (False, f.date()),
            "living_alone": (False, f.boolean),
            "date_of_death": (False, f.date()),
            "date_moved_out": (False, f.date()),
            "interpreter_needed": (False, f.boolean),
            "language": (False, f.language),
            "written_standard": (False, f.choice(WRITTEN_STANDARDS)),
        }

    def check_row(self, line, values):
        problems = []
        number, birth_date = values.get("national_id"), values.get("birth_date")
        if number and birth_date and birth_date != number.birth_date:
            problems.append(Problem(line, "birth_date", BIRTH_DATE_DISAGREES))
        for name in DATES_AFTER_BIRTH:
            day = values.get(name)
            if day and birth_date and day < birth_date:
                problems.append(Problem(line, name, BEFORE_BIRTH))
        if values.get("date_of_death") and values["date_of_death"] > self.today:
            problems.append(Problem(line, "date_of_death", IN_THE_FUTURE))
        return problems

    def check_chunk(self, chunk):
        problems = []
        for line, values in chunk:
            key = int(values["national_id"])
            if key in self.seen:
                problems.append(Problem(line, "national_id", DUPLICATE))
            self.seen.add(key)
        return problems + self._check_against_register(chunk)

    def _check_against_register(self, chunk):
        """A death undone without a correction; a move to another municipality without its date."""
        if not chunk:
            return []
        numbers = {values["national_id"]: (line, values) for line, values in chunk}
        q = Person.objects.filter(municipality=self.municipality, national_id__in=list(numbers))
        problems = []
        for number, died, lived in q.values_list("national_id", "date_of_death", "municipality_number"):
            line, values = numbers[number]
            if died and "date_of_death" in values and values["date_of_death"] is None and not self.correcting:
                problems.append(Problem(line, "date_of_death", DEATH_UNDONE))
            moved = values.get("municipality_number") not in (None, lived, self.municipality.number)
            if lived == self.municipality.number and moved and not values.get("date_moved_out"):
                problems.append(Problem(line, "date_moved_out", MOVE_WITHOUT_DATE))
        return problems

    @property
    def correcting(self):
        return bool(self.batch.correction_reason)

    def write_file(self, path, facts, progress, total, stage):
        """On PostgreSQL: COPY and a set-based merge (copy_merge.py) instead of apply_chunk row by row."""
        if not copy_merge.handles(self):
            return False
        copy_merge.write(self, path, facts, progress, total, stage, GOES_BACK)
        return True

    def apply_chunk(self, chunk):
        lines = {values["national_id"]: line for line, values in chunk}
        rows = {values.pop("national_id"): values for _line, values in chunk}
        new, differing = [], {}
        existing = self._existing(rows)
        for number, values in rows.items():
            if number not in existing:
                new.append(self._new_person(number, values))
            elif existing[number][1:] != tuple(values.values()):
                differing[existing[number][0]] = values
        self.counts["unchanged"] += len(rows) - len(new) - len(differing)
        changed, history, ended = [], [], []
        kept = kept_corrections(differing)
        # Whole Person objects only for the few that changed: building 700,000
        # model instances to compare them would take most of the import's time.
        for person in Person.objects.filter(pk__in=list(differing)):
            was_active = person.is_active
            changes = self._changes(person, _keeping_corrections(person, differing[person.pk], kept))
            if not changes:
                self.counts["unchanged"] += 1  # only a staff correction differed from the file
                continue
            changed.append((person, changes))
            if self.going_back is not None:
                self.going_back += [Problem(lines[person.national_id], name, GOES_BACK) for name in changes]
            history.extend(self._history(person, changes))
            if was_active and not person.is_active:
                ended.append(person)
        self.counts["created"] += len(new)
        self.counts["updated"] += len(changed)
        self.counts["ended_follow_up"] += len(ended)
        if not self.dry_run:
            self._save(new, changed, history, ended)

    def _existing(self, rows):
        """{national_id: (id, *the values of the file's columns)} for the rows already in the register."""
        if not rows:
            return {}
        names = list(next(iter(rows.values())))  # every row has the file's columns, in the same order
        q = Person.objects.filter(municipality=self.municipality, national_id__in=list(rows))
        return {found[0]: found[1:] for found in q.values_list("national_id", "id", *names)}

    def _new_person(self, number, values):
        return Person(
            municipality=self.municipality, national_id=number, created_at=self.now, updated_at=self.now, **values
        )

    def _changes(self, person, values):
        """Set the changed fields on `person`; return {field: old value}."""
        changes = {}
        for name, value in values.items():
            old = getattr(person, name)
            if old != value:
                changes[name] = old
                setattr(person, name, value)
        if changes:
            person.updated_at = self.now
        return changes

    def _history(self, person, changes):
        return [
            PersonFieldChange(
                person=person,
                batch=self.batch,
                changed_by=self.user,
                field=name,
                old_value=_as_text(old),
                new_value=_as_text(getattr(person, name)),
                changed_at=self.now,
            )
            for name, old in changes.items()
        ]

    def _save(self, new, changed, history, ended):
        Person.objects.bulk_create(new, batch_size=1000)
        if changed:
            # One UPDATE per chunk for the union of changed fields; a field that
            # did not change for a person is written back with the same value.
            names = sorted({name for _person, changes in changed for name in changes} | {"updated_at"})
            Person.objects.bulk_update([person for person, _changes in changed], names, batch_size=500)
        PersonFieldChange.objects.bulk_create(history, batch_size=1000)
        for person in ended:
            reason, day = (DIED, person.date_of_death) if person.date_of_death else (MOVED, person.date_moved_out)
            follow_up_ended.send(sender=Person, person=person, reason=reason, date=day)


def _keeping_corrections(person, values, kept):
    """The file's values, except a staff-corrected phone or e-mail while the file still has the
    register value the correction overrides (trappa/people/contact.py)."""
    values = dict(values)
    for name in CONTACT_FIELDS:
        register_value = kept.get((person.pk, name))
        if name in values and register_value is not None and (values[name] or "") == register_value:
            values[name] = getattr(person, name)
    return values


def _as_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
