"""Load a municipality's catalogue and plans from the versioned data files.

Idempotent: rows are found by their codes and updated, so loading the same
files twice changes nothing. One municipality loads in one transaction; a bad
value anywhere stops it with a `DataError` naming the file and the item, and
nothing of that municipality is written.

The files seed the catalogue; the staff pages change it afterwards. A later load
never overwrites a field staff changed since the files last loaded it (steps,
locations, the caregiver page, offerings with their locations and costs, plan
measures with their years): it keeps the staff value, reports the difference, and
records what the file said as a version beside the staff's. `overwrite=True`
(`load_catalogue --overwrite`) lets the files win.
"""

import tomllib
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from trappa.accounts.models import Municipality, Unit
from trappa.catalogue import eligibility, versions
from trappa.catalogue.models import (
    LANGUAGES,
    ActionPlan,
    CaregiverInfo,
    FocusArea,
    Location,
    Measure,
    MeasureYear,
    Offering,
    PlanRevision,
    Step,
    YearlyCost,
)

DATA_DIR = Path(settings.BASE_DIR) / "data" / "catalogue"

OFFERING_TEXTS = ("name", "summary", "description", "schedule", "fee_note", "sign_up")
OFFERING_FIELDS = {
    "code",
    "step",
    "access",
    "prevention_level",
    "target_groups",
    "themes",
    "provider_kind",
    "provider_name",
    "unit",
    "locations",
    "capacity_per_group",
    "number_of_groups",
    "fee",
    "contact_name",
    "contact_phone",
    "contact_email",
    "responsible",
    "period",
    "status",
    "evaluation_year",
    "source",
    "eligibility",
    "cost",
    "published",
    *OFFERING_TEXTS,
}
COST_FIELDS = {"year", "staffing_percent", "wage_cost", "running_cost", "one_off_cost", "one_off_note", "funding"}
MEASURE_FIELDS = {
    "code",
    "area",
    "position",
    "title",
    "responsible",
    "period",
    "funding",
    "funding_note",
    "status",
    "evaluation_year",
    "step",
    "offering",
    "source",
    "years",
}


class DataError(Exception):
    pass


def folders(number=None):
    """The municipality folders, each with its parsed municipality.toml, optionally one number only."""
    found = []
    for folder in sorted(p for p in DATA_DIR.iterdir() if (p / "municipality.toml").is_file()):
        data = read_toml(folder / "municipality.toml")
        if number is None or data.get("number") == number:
            found.append((folder, data))
    if number is not None and not found:
        raise DataError(f"No data folder for municipality number {number}")
    return found


def read_toml(path):
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{path.name}: {exc}") from None


@transaction.atomic
def load_folder(folder, data, overwrite=False):
    """Load one municipality; returns counts of what the files hold, and `kept`: the staff values kept."""
    municipality = _municipality(data)
    loader = {"overwrite": overwrite, "kept": []}
    where = f"{folder.name}/municipality.toml"
    for key in ("code", "position"):
        _wrap(where, _unique, data.get("step", []), key, "step")
    _wrap(where, _unique, data.get("location", []), "code", "location")
    _wrap(where, _unique, data.get("unit", []), "code", "unit")
    units = {item["code"]: _unit(municipality, item) for item in data.get("unit", [])}
    steps = {item["code"]: _step(municipality, item, loader) for item in data.get("step", [])}
    locations = {item["code"]: _location(municipality, item, loader) for item in data.get("location", [])}
    if "caregivers" in data:
        _caregiver_info(municipality, data["caregivers"], loader)
    context = {"steps": steps, "locations": locations, "units": units, "sign_up": data.get("sign_up", {}), **loader}
    offerings_file = read_toml(folder / "offerings.toml") if (folder / "offerings.toml").is_file() else {}
    offerings = {}
    items = _wrap(f"{folder.name}/offerings.toml", _unique, offerings_file.get("offering", []), "code", "offering")
    for item in items:
        where = f"{folder.name}/offerings.toml, offering {item.get('code', '?')}"
        offerings[item.get("code")] = _wrap(where, _offering, municipality, item, context)
    plans = 0
    for path in sorted((folder / "plans").glob("*.toml")):
        _wrap(f"{folder.name}/plans/{path.name}", _plan, municipality, read_toml(path), steps, offerings, loader)
        plans += 1
    counts = {"municipality": municipality, "steps": len(steps), "offerings": len(offerings), "plans": plans}
    return {**counts, "kept": loader["kept"]}


def _from_file(obj, values, loader, label):
    """Set the file's `values` on `obj`, except where staff changed the field since the last load.

    Returns (the keys staff changed, {key: the file's value} for each staff value kept)."""
    staff = set() if obj.pk is None or loader["overwrite"] else versions.staff_changed(obj)
    kept = {}
    for name, value in values.items():
        if name in staff and _plain(obj, name, getattr(obj, name)) != _plain(obj, name, value):
            kept[name] = _plain(obj, name, value)
            _report_kept(loader, label, name, kept[name])
            continue
        setattr(obj, name, value)
    return staff, kept


def _plain(obj, name, value):
    """A field's value as a version snapshot holds it (a foreign key as its id)."""
    field = obj._meta.get_field(name)
    if field.is_relation:
        return value.pk if value is not None else None
    return versions._plain(field.to_python(value))


def _report_kept(loader, label, key, file_value):
    loader["kept"].append(f"{label}: {key} changed on the staff pages is kept (the file says {file_value!r})")


def _record_loaded(obj, kept):
    """Record the state the files give `obj`: its state now, with the file's values where staff's were kept."""
    versions.record_loaded(obj, {**versions.snapshot(obj), **kept}, kept)


def _wrap(where, function, *args):
    try:
        return function(*args)
    except (ValidationError, eligibility.RuleError, KeyError, TypeError, ValueError, IntegrityError) as exc:
        raise DataError(f"{where}: {_message(exc)}") from None


def _message(exc):
    if isinstance(exc, ValidationError):
        return "; ".join(f"{field}: {' '.join(errors)}" for field, errors in exc.message_dict.items())
    if isinstance(exc, KeyError):
        return f"missing {exc.args[0]!r}"
    return str(exc)


def _check_keys(item, allowed):
    unknown = set(item) - set(allowed)
    if unknown:
        raise ValueError(f"unknown keys {', '.join(sorted(unknown))}")


def texts(item, name, required=False):
    """`name = {nb=..., nn=..., en=...}` -> {"name_nb": ..., ...}."""
    value = item.get(name, {})
    if not isinstance(value, dict) or set(value) - set(LANGUAGES):
        raise ValueError(f"{name} must be a table of nb, nn and en texts")
    if required and not value.get("nb"):
        raise ValueError(f"{name} needs at least a bokmål (nb) text")
    return {f"{name}_{lang}": value.get(lang, "") for lang in LANGUAGES}


def _saved(obj):
    # Codes are looked up before saving and checked for duplicates per file
    # (_unique), so the per-row constraint queries of full_clean are skipped;
    # the database constraints still stand behind this.
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save()
    return obj


def _unique(items, key, where):
    seen = set()
    for item in items:
        if item.get(key) in seen:
            raise ValueError(f"{where} {key} {item.get(key)!r} appears twice")
        seen.add(item.get(key))
    return items


def _municipality(data):
    municipality, _ = Municipality.objects.get_or_create(
        number=data["number"],
        defaults={"name": data["name"], "slug": data["slug"], "written_standard": data.get("written_standard", "nb")},
    )
    return municipality


def _unit(municipality, item):
    """A unit the offerings name; an existing one (from the organisation) is kept as it is."""
    unit, _ = Unit.objects.get_or_create(municipality=municipality, code=item["code"], defaults={"name": item["name"]})
    return unit


def _step(municipality, item, loader):
    step = Step.objects.filter(municipality=municipality, code=item["code"]).first()
    step = step or Step(municipality=municipality, code=item["code"])
    values = {"position": item["position"], **texts(item, "name", True), **texts(item, "description")}
    _staff, kept = _from_file(step, values, loader, f"step {item['code']}")
    _saved(step)
    _record_loaded(step, kept)
    return step


def _location(municipality, item, loader):
    location = Location.objects.filter(municipality=municipality, code=item["code"]).first()
    location = location or Location(municipality=municipality, code=item["code"])
    values = {
        "name": item["name"],
        "address": item.get("address", ""),
        "outside_centre": item.get("outside_centre", False),
        "at_home": item.get("at_home", False),
    }
    _staff, kept = _from_file(location, values, loader, f"location {item['code']}")
    _saved(location)
    _record_loaded(location, kept)
    return location


def _caregiver_info(municipality, item, loader):
    info = CaregiverInfo.objects.filter(municipality=municipality).first() or CaregiverInfo(municipality=municipality)
    values = {}
    for name in ("introduction", "rights", "coordinator_title", "coordinator_note"):
        values.update(texts(item, name, name != "coordinator_note"))
    values["coordinator_phone"] = item.get("coordinator_phone", "")
    values["coordinator_email"] = item.get("coordinator_email", "")
    _staff, kept = _from_file(info, values, loader, "caregiver page")
    _saved(info)
    _record_loaded(info, kept)
    return info


def _offering(municipality, item, context):
    _check_keys(item, OFFERING_FIELDS)
    offering = Offering.objects.filter(municipality=municipality, code=item["code"]).first()
    offering = offering or Offering(municipality=municipality, code=item["code"])
    label = f"offering {item['code']}"
    staff, kept = _from_file(offering, _offering_values(item, context), context, label)
    _saved(offering)
    locations = [_lookup(context["locations"], code, "location") for code in item.get("locations", [])]
    file_codes = sorted(location.code for location in locations)
    if "locations" in staff and file_codes != sorted(offering.locations.values_list("code", flat=True)):
        kept["locations"] = file_codes
        _report_kept(context, label, "locations", file_codes)
    else:
        offering.locations.set(locations)
    rows = item.get("cost", [])
    if "costs" in staff and _cost_snapshot(rows) != versions.snapshot(offering)["costs"]:
        kept["costs"] = _cost_snapshot(rows)
        _report_kept(context, label, "costs", [row.get("year") for row in rows])
    else:
        _costs(offering, rows)
    _record_loaded(offering, kept)
    return offering


def _cost_snapshot(rows):
    """The file's cost rows as a version snapshot holds them."""
    plain = versions._plain
    return [
        {
            "year": row["year"],
            "staffing_percent": plain(Decimal(str(row.get("staffing_percent", 0)))),
            "wage_cost": row.get("wage_cost", 0),
            "running_cost": row.get("running_cost", 0),
            "one_off_cost": row.get("one_off_cost", 0),
            "one_off_note": row.get("one_off_note", ""),
            "funding": row.get("funding", "existing"),
        }
        for row in sorted(rows, key=lambda row: row["year"])
    ]


def _offering_values(item, context):
    values = {name: item[name] for name in ("access", "provider_kind", "provider_name")}
    values["step"] = _lookup(context["steps"], item["step"], "step")
    for name in ("prevention_level", "contact_name", "contact_phone", "contact_email", "responsible", "source"):
        values[name] = item.get(name, "")
    for name in ("capacity_per_group", "number_of_groups", "evaluation_year"):
        values[name] = item.get(name)
    values["target_groups"] = item.get("target_groups", [])
    values["themes"] = item.get("themes", [])
    values["fee"] = Decimal(str(item["fee"])) if "fee" in item else None
    values["status"] = item.get("status", "established")
    values["published"] = item.get("published", True)
    values["period_start"], values["period_end"] = item.get("period", [None, None])
    values["eligibility"] = eligibility.validate(item.get("eligibility", []))
    values["unit"] = _lookup(context["units"], item["unit"], "unit") if "unit" in item else None
    for name in OFFERING_TEXTS:
        values.update(texts(item, name, name in ("name", "summary")))
    if not values["sign_up_nb"]:
        # Most offerings sign up the same way as others with the same access.
        default = context["sign_up"].get(values["access"], {})
        values.update(texts({"sign_up": default}, "sign_up", required=True))
    return values


def _lookup(table, code, what):
    if code not in table:
        raise ValueError(f"unknown {what} {code!r}")
    return table[code]


def _costs(offering, rows):
    years = []
    for row in _unique(rows, "year", "cost"):
        _check_keys(row, COST_FIELDS)
        cost = YearlyCost.objects.filter(offering=offering, year=row["year"]).first()
        cost = cost or YearlyCost(offering=offering, year=row["year"])
        cost.staffing_percent = Decimal(str(row.get("staffing_percent", 0)))
        for name in ("wage_cost", "running_cost", "one_off_cost"):
            setattr(cost, name, row.get(name, 0))
        cost.one_off_note = row.get("one_off_note", "")
        cost.funding = row.get("funding", "existing")
        _saved(cost)
        years.append(row["year"])
    # The file is the truth for the seed: a year removed from it is removed here.
    offering.costs.exclude(year__in=years).delete()


def _plan(municipality, data, steps, offerings, loader):
    plan = ActionPlan.objects.filter(municipality=municipality, code=data["code"]).first()
    plan = plan or ActionPlan(municipality=municipality, code=data["code"])
    for field, value in texts(data, "name", True).items():
        setattr(plan, field, value)
    plan.source = data.get("source", "")
    _saved(plan)
    areas = {}
    for position, item in enumerate(data.get("focus_area", []), start=1):
        area, _ = FocusArea.objects.update_or_create(
            plan=plan, code=item["code"], defaults={"position": position, **texts(item, "name", True)}
        )
        areas[item["code"]] = area
    for item in data.get("revision", []):
        _revision(plan, item, {"areas": areas, "steps": steps, "offerings": offerings, **loader})
    return plan


def _revision(plan, item, context):
    revision = PlanRevision.objects.filter(plan=plan, year=item["year"]).first()
    if revision and revision.is_frozen:
        return  # Decided in an earlier year and since revised: the seed never rewrites it.
    revision, _ = PlanRevision.objects.update_or_create(
        plan=plan, year=item["year"], defaults={"note": item.get("note", "")}
    )
    codes = []
    _unique(item.get("measure", []), "code", f"revision {item['year']}: measure")
    for position, measure in enumerate(item.get("measure", []), start=1):
        codes.append(_measure(revision, measure, position, context).code)
    revision.measures.exclude(code__in=codes).delete()


def _measure(revision, item, position, context):
    _check_keys(item, MEASURE_FIELDS)
    measure = Measure.objects.filter(revision=revision, code=item["code"]).first()
    measure = measure or Measure(revision=revision, code=item["code"])
    period = item.get("period", [None, None])
    values = {
        "focus_area": _lookup(context["areas"], item["area"], "focus area"),
        "position": item.get("position", position),
        "responsible": item.get("responsible", ""),
        "period_start": period[0],
        "period_end": period[1],
        "funding": item.get("funding", "undecided"),
        "funding_note": item.get("funding_note", ""),
        "status": item.get("status", "planned"),
        "evaluation_year": item.get("evaluation_year"),
        "step": _lookup(context["steps"], item["step"], "step") if "step" in item else None,
        "offering": _lookup(context["offerings"], item["offering"], "offering") if "offering" in item else None,
        "source": item.get("source", ""),
        **texts(item, "title", True),
    }
    label = f"plan {revision.plan.code} {revision.year}, measure {item['code']}"
    staff, kept = _from_file(measure, values, context, label)
    _saved(measure)
    years = [
        {
            "year": row["year"],
            "staffing_percent": versions._plain(Decimal(str(row.get("staffing_percent", 0)))),
            "cost": row.get("cost", 0),
        }
        for row in sorted(item.get("years", []), key=lambda row: row["year"])
    ]
    if "years" in staff and years != versions.snapshot(measure)["years"]:
        kept["years"] = years
        _report_kept(context, label, "years", [row["year"] for row in years])
    else:
        measure.years.all().delete()
        for row in years:
            _saved(
                MeasureYear(
                    measure=measure,
                    year=row["year"],
                    cost=row["cost"],
                    staffing_percent=Decimal(row["staffing_percent"]),
                )
            )
    _record_loaded(measure, kept)
    return measure
