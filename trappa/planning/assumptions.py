"""The assumptions of a projection derived from the register (register_population.py), as sentences."""

from django.utils.translation import gettext as _


def describe(dataset):
    """The assumptions of a register-derived dataset as sentences, for pages, reports and exports."""
    a = dataset.assumptions
    if not dataset.register_derived or not a:
        return []
    alternatives = "; ".join(
        _(
            "%(code)s: births × %(births)s, death probabilities falling %(female)s %% (women) and %(male)s %% "
            "(men) a year"
        )
        % {
            "code": code,
            "births": v["births"],
            "female": _pct(v["mortality_fall_female"]),
            "male": _pct(v["mortality_fall_male"]),
        }
        for code, v in a["alternatives"].items()
    )
    return [
        _(
            "Population derived from the register of %(municipality)s on %(date)s: %(residents)s residents on "
            "%(reference)s, aged forward year by year (cohort-component)."
        )
        % {
            "municipality": a["municipality"],
            "date": a["derived_on"],
            "residents": a["residents"],
            "reference": a["reference_date"],
        },
        _(
            "Mortality: a Gompertz–Makeham law fitted to Norwegian life expectancies of %(year)s (national, not "
            "the municipality's own)."
        )
        % {"year": a["mortality_base_year"]},
        _(
            "Births: %(births)s a year (the register's children aged 0–%(last)s), held constant, "
            "%(ratio)s boys per girl."
        )
        % {"births": a["births_per_year"], "last": a["births_years_observed"] - 1, "ratio": a["sex_ratio_at_birth"]},
        _("Migration: none (the register records moves out, not moves in)."),
        _("Alternatives: %(list)s.") % {"list": alternatives},
    ]


def _pct(share):
    return f"{share * 100:g}"
