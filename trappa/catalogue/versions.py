"""Every change to the catalogue is kept: a snapshot per save, with who and when.

`record(obj, user)` stores the object's state after a change, unless it equals
the latest stored state, so loading the seed files twice or saving an
unchanged form adds nothing. `changes(versions)` lists, per version, the fields
that differ from the one before.
"""

import datetime
from decimal import Decimal

from trappa.catalogue.models import Measure, Offering, Version


def _plain(value):
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def snapshot(obj):
    data = {}
    for field in obj._meta.concrete_fields:
        data[field.name] = _plain(getattr(obj, field.attname))
    if isinstance(obj, Measure):
        data["years"] = [
            {"year": y.year, "staffing_percent": _plain(y.staffing_percent), "cost": y.cost}
            for y in obj.years.order_by("year")
        ]
    if isinstance(obj, Offering):
        data["locations"] = sorted(obj.locations.values_list("code", flat=True))
        data["costs"] = [
            {
                "year": c.year,
                "staffing_percent": _plain(c.staffing_percent),
                "wage_cost": c.wage_cost,
                "running_cost": c.running_cost,
                "one_off_cost": c.one_off_cost,
                "one_off_note": c.one_off_note,
                "funding": c.funding,
            }
            for c in obj.costs.order_by("year")
        ]
    return data


def history(obj):
    return Version.objects.filter(model=obj._meta.model_name, object_id=obj.pk).select_related("changed_by")


def record(obj, user=None, comment=""):
    data = snapshot(obj)
    latest = history(obj).first()
    if latest and latest.data == data:
        return None
    return Version.objects.create(
        model=obj._meta.model_name,
        object_id=obj.pk,
        municipality_id=getattr(obj, "municipality_id", None) or obj.get_municipality().pk,
        data=data,
        changed_by=user if user and user.is_authenticated else None,
        comment=comment,
    )


LOADED = "load_catalogue"


def last_loaded(obj):
    """The latest state the data files gave this object (a version recorded by load_catalogue), or None."""
    return history(obj).filter(comment__startswith=LOADED).first()


def staff_changed(obj):
    """The snapshot keys staff changed since the files last loaded this object (their values win a reload).

    An object never loaded but with versions was made on the staff pages: all of it is staff's.
    An object with no versions at all predates versioning: the files are its only source."""
    loaded = last_loaded(obj)
    current = snapshot(obj)
    if loaded is None:
        return set(current) - {"id"} if history(obj).exists() else set()
    return {key for key, value in current.items() if key != "id" and loaded.data.get(key) != value}


def record_loaded(obj, data, kept=()):
    """Record what the files say about `obj` (`data`, a snapshot), with the staff values kept named."""
    latest = last_loaded(obj)
    if latest and latest.data == data:
        return None
    comment = LOADED + (f"; staff values kept: {', '.join(sorted(kept))}" if kept else "")
    return Version.objects.create(
        model=obj._meta.model_name,
        object_id=obj.pk,
        municipality_id=getattr(obj, "municipality_id", None) or obj.get_municipality().pk,
        data=data,
        comment=comment[:200],
    )


def changes(versions):
    """[(version, [changed field names])], newest first; the oldest lists every field as new."""
    versions = list(versions)
    result = []
    for index, version in enumerate(versions):
        before = versions[index + 1].data if index + 1 < len(versions) else {}
        changed = sorted(k for k in version.data if before.get(k) != version.data[k] and k != "id")
        result.append((version, changed))
    return result
