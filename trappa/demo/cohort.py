"""Load a cohort of everyday-rehabilitation referrals from a csv file (one row per referral).

Used by the 2017 test (tests/referrals/data/everyday_rehabilitation_2017.csv,
built from seed 001's figures) and by the demo. Every row goes through the
services, so the report is computed from the same steps a real referral has.
SPPB scores are given as totals; each total is recorded as a set of answers
the instrument engine scores to that total, so the engine stays the one scorer.
"""

import csv
import datetime
from decimal import Decimal as D

from django.core.exceptions import ValidationError
from django.db import transaction

from trappa.referrals import services
from trappa.referrals.models import Moment, Pathway, Status

# Answer sets the SPPB engine scores to these totals (cases in sppb.toml).
SPPB_ANSWERS = {
    4: {"side_by_side": D("4.00"), "gait": D("7.00"), "chair_stand_single": True, "chair_stands": D("15.00")},
    6: {
        "side_by_side": 10,
        "semi_tandem": 10,
        "tandem": 10,
        "gait": D("8.71"),
        "chair_stand_single": True,
        "chair_stands": D("16.70"),
    },
    8: {"side_by_side": 10, "semi_tandem": 10, "tandem": 10, "gait": D("4.00"), "chair_stand_single": False},
}
NOT_TESTED = "not_tested"


def read(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load(rows, offering, user, persons):
    """One referral per row, for the persons given in order; all or nothing."""
    if len(persons) < len(rows):
        raise ValidationError("Not enough persons for the cohort")
    return [_load_row(row, offering, user, person) for row, person in zip(rows, persons, strict=False)]


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _load_row(row, offering, user, person):
    referral = services.refer(
        person, offering, row["source"], user, "", pathway=Pathway.EVERYDAY_REHABILITATION, on=_date(row["referred_on"])
    )
    assessed = _date(row["assessed_on"])
    if row["outcome"] == Status.NOT_RELEVANT:
        return services.change_status(referral, Status.NOT_RELEVANT, user, on=assessed, reason=row["reason"])
    services.change_status(referral, Status.RELEVANT, user, on=assessed)
    services.change_status(referral, Status.WAITING, user, on=assessed)
    started = _date(row["started_on"])
    services.change_status(referral, Status.STARTED, user, on=started)
    _measure(referral, Moment.START, row["sppb_start"], started)
    ended = _date(row["ended_on"])
    referral = services.change_status(
        referral, row["outcome"], user, on=ended, reason=row["reason"], visits=int(row["visits"] or 0)
    )
    _measure(referral, Moment.END, row["sppb_end"], ended, row["reason"])
    return referral


def _measure(referral, moment, value, on, reason=""):
    if not value:
        return None
    if value == NOT_TESTED:
        return services.record_measurement(referral, moment, {}, on=on, not_tested_reason=reason or NOT_TESTED)
    return services.record_measurement(referral, moment, SPPB_ANSWERS[int(value)], on=on)
