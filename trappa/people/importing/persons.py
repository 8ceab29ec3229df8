"""The persons file: the register extract, one row per person."""

import contextlib
import gc
import tempfile

import numpy as np
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_noop

from trappa.people.contact import CONTACT_FIELDS, kept_corrections
from trappa.people.models import ImportKind, MaritalStatus, Person, PersonFieldChange, Sex
from trappa.people.signals import DIED, MOVED, follow_up_ended

from . import bulk, copy_merge
from . import fields as f
from .engine import GOES_BACK, Importer
from .reading import CsvRows
from .report import Problem, Report

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
# Rows checked together a column at a time in the first pass.
COLUMN_CHUNK_ROWS = 10_000
# Numbers asked about in one query (SQLite allows some 32,000 parameters).
QUERY_NUMBERS = 2000
EPOCH = f.EPOCH
# A date column's empty value, as days since 1970.
NO_DATE = np.iinfo(np.int64).min


class PersonImporter(Importer):
    kind = ImportKind.PERSONS

    def __init__(self, batch, user=None):
        super().__init__(batch, user)
        # Integers take less memory than strings for the 700,000 numbers of a large extract.
        self.seen = set()
        self.today = timezone.localdate()
        # The first pass's cleaned rows, in COPY's text format, for copy_merge (PostgreSQL): (file, columns).
        self.staged = None
        self._dead = self._has_persons = self._dead_integers = None

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

    def check_file(self, path, facts, progress, stage):
        """The first pass: in bulk (bulk.py) if every row is good, else a column at a time, naming each problem.

        On PostgreSQL the cleaned rows of a good file are kept, in COPY's format, in a temporary file
        that the second pass copies into its staging table (copy_merge.py): each row is read and
        cleaned once. The file's bytes are hashed as they are read: a file that changed since it
        was inspected is refused, so what is staged is the file whose hash is recorded."""
        checked = self._check_in_bulk(path, facts, progress, stage)
        if checked is not None:
            return checked
        return self._check_by_columns(path, facts, progress, stage)

    def _check_in_bulk(self, path, facts, progress, stage):
        """(Report, rows) of a file whose every row bulk.accept() finds good; None if a row may have a problem
        (a file with problems is then read again by _check_by_columns, which names them)."""
        csv_rows, rows, ids, moving = CsvRows(path, facts, self.column_requirements), 0, [], []
        staging = self._staging_file()
        with _collector_paused():
            try:
                for chunk in csv_rows.chunks(COLUMN_CHUNK_ROWS, check_lengths=False):
                    columns = None if chunk.problems else chunk.columns(csv_rows.header)
                    accepted = None if columns is None else bulk.accept(self, columns, self.today)
                    if accepted is None or self._death_undone(accepted, columns):
                        return _closed(staging)
                    ids.append(accepted.ids)
                    moving += self._moving(accepted, columns)
                    if staging is not None:
                        staging.write(accepted.copy_text(chunk.lines))
                    rows += chunk.count
                    progress.update(csv_rows.bytes_read, facts.size, stage)
            except BaseException:
                _closed(staging)
                raise
        if bulk.has_duplicates(ids) or self._moved_without_date(moving):
            return _closed(staging)
        return self._checked(csv_rows, facts, staging, Report(), rows)

    def _check_by_columns(self, path, facts, progress, stage):
        """The first pass a column at a time: the same problems as clean() and check_chunk() row by row
        (tests/people/test_import_columns.py), without a Python object per value."""
        report, rows = Report(), 0
        csv_rows = CsvRows(path, facts, self.column_requirements)
        staging = self._staging_file()
        with _collector_paused():
            try:
                for chunk in csv_rows.chunks(COLUMN_CHUNK_ROWS):
                    report.extend(chunk.problems)
                    lines, cleaned, problems, good = self.check_columns(chunk.lines, chunk.columns(csv_rows.header))
                    report.extend(problems)
                    report.extend(self._check_good_rows(lines, cleaned, good))
                    if staging is not None and not report:
                        staging.write(copy_merge.copy_text(lines, cleaned))
                    rows += chunk.count
                    progress.update(csv_rows.bytes_read, facts.size, stage)
            except BaseException:
                _closed(staging)
                raise
        return self._checked(csv_rows, facts, staging, report, rows)

    def _staging_file(self):
        return tempfile.TemporaryFile("w+", encoding="utf-8", newline="") if copy_merge.handles(self) else None

    def _checked(self, csv_rows, facts, staging, report, rows):
        if csv_rows.sha256 != facts.sha256:
            _closed(staging)
            raise RuntimeError("the file changed while it was being imported")
        if staging is not None:
            if report:
                staging.close()
            else:
                staging.flush()
                self.staged = (staging, [name for name in csv_rows.header if name != "national_id"])
        return report, rows

    def _death_undone(self, accepted, columns):
        """True if _register_problems() might find a death undone in these rows."""
        if not self._register_has_persons() or "date_of_death" not in columns or self.correcting:
            return False
        undone = accepted.days["date_of_death"] == bulk.NO_DATE
        return bool(undone.any() and np.isin(accepted.ids[undone], self._dead_ids()).any())

    def _moving(self, accepted, columns):
        """The numbers of rows living in another municipality without a date_moved_out (usually few)."""
        if not self._register_has_persons():
            return []
        own, moves, numbers = self.municipality.number, columns.get("date_moved_out"), accepted.texts["national_id"]
        places = columns["municipality_number"]
        return [numbers[i] for i, place in enumerate(places) if place != own and not (moves and moves[i])]

    def _moved_without_date(self, moving):
        """True if _register_problems() might find a move without its date: one of `moving` lives here now."""
        return bool(self._living_here(moving))

    def _living_here(self, numbers):
        """Those of `numbers` the register has living in this municipality now."""
        if not numbers:
            return set()
        if connection.vendor == "postgresql":
            # One query with the numbers as an array (a large extract has tens of thousands of them).
            with connection.cursor() as cursor:
                cursor.execute(
                    f"""SELECT national_id FROM {Person._meta.db_table} WHERE municipality_id = %s
                    AND municipality_number = %s AND national_id = ANY(%s)""",  # noqa: S608 (names only)
                    [self.municipality.pk, self.municipality.number, numbers],
                )
                return {number for (number,) in cursor.fetchall()}
        q = Person.objects.filter(municipality=self.municipality, municipality_number=self.municipality.number)
        found = set()
        for start in range(0, len(numbers), QUERY_NUMBERS):
            found.update(
                q.filter(national_id__in=numbers[start : start + QUERY_NUMBERS]).values_list("national_id", flat=True)
            )
        return found

    def _dead_ids(self):
        """_dead_in_register() as integers (bulk.Accepted.ids)."""
        if self._dead_integers is None:
            self._dead_integers = np.array(sorted(int(n) for n in self._dead_in_register()), dtype=np.int64)
        return self._dead_integers

    def close(self):
        if self.staged:
            self.staged[0].close()
            self.staged = None

    def check_columns(self, lines, columns):
        """Check rows given as {column: trimmed values}: (lines, {column: cleaned values}, problems, good).

        `good` (NumPy booleans) marks the rows without a problem; problems come in the order clean()
        and check_row() find them, row by row. National IDs are numbers (strings) in the cleaned values."""
        n = len(lines)
        cleaned, days, bad, found = {}, {}, {}, []
        for rank, (name, values) in enumerate(columns.items()):
            parser = self.parsers[name]
            if getattr(parser, "national_id_column", None):
                cleaned[name], days[name], reasons = parser.national_id_column(values)
            else:
                cleaned[name], reasons = f.parse_column(parser, values)
            bad[name] = np.zeros(n, dtype=bool)
            if reasons:
                bad[name][list(reasons)] = True
                found += [(i, rank, Problem(lines[i], name, reason)) for i, reason in reasons.items()]
            if name == "birth_date" or name in DATES_AFTER_BIRTH:
                days[name] = _days(cleaned[name])
        rank = len(columns)
        if "national_id" in cleaned and "birth_date" in cleaned:
            both = ~bad["national_id"] & ~bad["birth_date"]
            disagrees = both & (days["national_id"] != days["birth_date"])
            found += _problems(lines, disagrees, rank, "birth_date", BIRTH_DATE_DISAGREES)
        for offset, name in enumerate(DATES_AFTER_BIRTH, start=1):
            if name in cleaned and "birth_date" in cleaned:
                after = ~bad[name] & ~bad["birth_date"] & (days[name] != NO_DATE)
                found += _problems(lines, after & (days[name] < days["birth_date"]), rank + offset, name, BEFORE_BIRTH)
        if "date_of_death" in cleaned:
            today = (self.today - EPOCH).days
            future = ~bad["date_of_death"] & (days["date_of_death"] != NO_DATE) & (days["date_of_death"] > today)
            found += _problems(lines, future, rank + 4, "date_of_death", IN_THE_FUTURE)
        found.sort(key=lambda item: item[:2])
        good = np.ones(n, dtype=bool)
        good[[i for i, _rank, _problem in found]] = False
        return lines, cleaned, [problem for _i, _rank, problem in found], good

    def _check_good_rows(self, lines, cleaned, good):
        """check_chunk() for the good rows of check_columns(): the same number twice, and the register."""
        rows = np.flatnonzero(good).tolist()
        numbers = cleaned["national_id"]
        problems = []
        for i in rows:
            key = int(numbers[i])
            if key in self.seen:
                problems.append(Problem(lines[i], "national_id", DUPLICATE))
            self.seen.add(key)
        return problems + self._register_problems(lines, cleaned, rows)

    def _register_problems(self, lines, cleaned, rows):
        """_check_against_register() for these rows: a death undone, a move without its date."""
        if not self._register_has_persons():
            return []  # a first import: nothing to undo or move from
        numbers, own = cleaned["national_id"], self.municipality.number
        last = {numbers[i]: i for i in rows}  # as check_chunk: a number's last row in the chunk
        found = []
        deaths, moves = cleaned.get("date_of_death"), cleaned.get("date_moved_out")
        if deaths is not None and not self.correcting:
            dead = self._dead_in_register()
            found += [(i, 0, "date_of_death", DEATH_UNDONE) for n, i in last.items() if deaths[i] is None and n in dead]
        places = cleaned["municipality_number"]
        moving = [n for n, i in last.items() if places[i] != own and not (moves and moves[i])]
        found += [(last[number], 1, "date_moved_out", MOVE_WITHOUT_DATE) for number in self._living_here(moving)]
        found.sort()
        return [Problem(lines[i], name, reason) for i, _rank, name, reason in found]

    def _register_has_persons(self):
        if self._has_persons is None:
            self._has_persons = Person.objects.filter(municipality=self.municipality).exists()
        return self._has_persons

    def _dead_in_register(self):
        """The numbers of the municipality's persons the register holds as dead (asked once per import)."""
        if self._dead is None:
            q = Person.objects.filter(municipality=self.municipality, date_of_death__isnull=False)
            self._dead = set(q.values_list("national_id", flat=True))
        return self._dead

    @property
    def correcting(self):
        return bool(self.batch.correction_reason)

    def write_file(self, path, facts, progress, total, stage):
        """On PostgreSQL: COPY and a set-based merge (copy_merge.py) instead of apply_chunk row by row."""
        if not copy_merge.handles(self):
            return False
        copy_merge.write(self, progress, total, stage, GOES_BACK)
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


def _closed(staging):
    """Let go of a staging file that will not be used; None (the bulk check's "not sure")."""
    if staging is not None:
        staging.close()


@contextlib.contextmanager
def _collector_paused():
    """A chunk is some 200,000 new strings and lists, none in a reference cycle: the cycle collector, run
    again and again while they are made, would only look at them (about a fifth of the first pass's CPU)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _days(dates):
    """Dates (or None) as days since 1970 (NumPy), NO_DATE for none; a date that did not parse is None too."""
    memo = {day: NO_DATE if day is None else (day - EPOCH).days for day in set(dates)}
    return np.fromiter((memo[day] for day in dates), dtype=np.int64, count=len(dates))


def _problems(lines, mask, rank, name, reason):
    return [(i, rank, Problem(lines[i], name, reason)) for i in np.flatnonzero(mask).tolist()]


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
