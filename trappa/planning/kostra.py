"""The municipality's use of care next to the country's, with KOSTRA's age groups and definitions.

The municipality's figures come from its own register (aggregate counts by age
group and highest care level on 1 January, as for calibration). The country's
are SSB's published figures for 2023 over the population on 1 January 2024
(docs/planning-sources.md, S1, S2, K1), some derived as stated. The KOSTRA group's
figures could not be reached from this machine: the page says so for every row.
Figures from a municipality's own plan (Nord-Aurdal's expenditure need) are shown
with their source.
"""

import datetime

from django.utils.translation import gettext_lazy as _

from .calibration import register_counts
from .report import label

# SSB key figures 2023 (S1) and table 14288 for 1 January 2024 (S2).
POPULATION_80 = 210751 + 45734
# KOSTRA 2023 (K1): 10.1 % of people 80+ in an institution, over the 31,405 + 10,014 residents (S1).
SHARE_80 = 0.101 * POPULATION_80 / (31405 + 10014)
COUNTRY = {
    "home_services_0_66": (
        20.8,
        _("Derived: the home-service users who are not 67 or older, over the population 0-66 (S1, S2, S4)."),
    ),
    "home_services_67_79": (
        60.2,
        _("Derived: the 80-89 rate times the 2008 ratio of the 67-79 and 80-89 rates (S1, S2, S4, S11)."),
    ),
    "home_services_80": (
        269.0,
        _("Published: 26.9 per cent of people 80 or older received home services in 2023 (S1)."),
    ),
    "institution_80": (
        101.0,
        _("Published: KOSTRA, 10.1 per cent of people 80 or older lived in an institution on 31 December 2023 (K1)."),
    ),
    "long_term_80": (
        round(31405 * SHARE_80 / POPULATION_80 * 1000, 1),
        _(
            "Derived: the long-term residents (31,405) with KOSTRA's share of residents aged 80 or older, "
            "62.5 per cent (S1, K1)."
        ),
    ),
}
ROWS = (
    (
        "home_services_0_66",
        _("Home-service users per 1,000 inhabitants 0-66"),
        ("practical_help", "home_nursing"),
        0,
        66,
    ),
    (
        "home_services_67_79",
        _("Home-service users per 1,000 inhabitants 67-79"),
        ("practical_help", "home_nursing"),
        67,
        79,
    ),
    (
        "home_services_80",
        _("Home-service users per 1,000 inhabitants 80+"),
        ("practical_help", "home_nursing"),
        80,
        200,
    ),
    ("institution_80", _("Institution residents per 1,000 inhabitants 80+"), ("short_term", "long_term"), 80, 200),
    ("long_term_80", _("Long-term residents per 1,000 inhabitants 80+"), ("long_term",), 80, 200),
)
# Figures a municipality's own plan quotes from KOSTRA or the income system, with their source.
PLAN_FIGURES = {
    "3451": [
        (
            _("Objective expenditure need for care services, country = 100"),
            124,
            _(
                "Nord-Aurdal municipality, sub-plan for health and care 2018-2030, section 4.3, quoting KS report "
                "15/2017 (Analyse av tilrettelagte tjenester Nord-Aurdal kommune): about 24 per cent above the "
                "national average."
            ),
        )
    ]
}
MIN_SHOWN = 5  # counts of 1-4 users are not shown as rates (small numbers)
# KOSTRA 2023, the country (K2): expenditure per occupied bed-day in institutions, functions 253 and 261.
BED_DAY_2023 = 5156
INSTITUTION_LEVELS = ("short_term", "long_term")


def costs(ps):
    """Cost per user-year of each care level: Trappa's parameters next to the country's published figure.

    Trappa's is staff-years per user x cost per staff-year + other cost per user. KOSTRA publishes a
    cost per occupied bed-day for institutions (short-term and long-term together); for the other
    levels no published cost per user was found, and None says so.
    """
    staff_year = ps.cost_per_staff_year.value
    return [
        {
            "label": label(level.key),
            "trappa": round(level.staff_years_per_user.value * staff_year + level.other_cost_per_user.value),
            "country": BED_DAY_2023 * 365 if level.key in INSTITUTION_LEVELS else None,
        }
        for level in ps.levels
    ]


def comparison(municipality, ps, on=None):
    """Rows of (label, municipality per 1,000 or None, users, inhabitants, country per 1,000, source)."""
    day = datetime.date((on or datetime.date.today()).year, 1, 1)
    counts = register_counts(municipality, ps, day)
    keys = ps.level_keys
    rows = []
    for key, title, levels, low, high in ROWS:
        ranks = {keys.index(k) + 1 for k in levels}
        people = sum(n for (_sex, age, _level), n in counts.items() if low <= age <= high)
        users = sum(n for (_sex, age, level), n in counts.items() if low <= age <= high and level in ranks)
        shown = round(users / people * 1000, 1) if people and (users == 0 or users >= MIN_SHOWN) else None
        country, source = COUNTRY[key]
        rows.append(
            {
                "label": title,
                "municipality": shown,
                "users": users,
                "people": people,
                "country": country,
                "source": source,
            }
        )
    return {"day": day, "rows": rows, "costs": costs(ps), "plan": PLAN_FIGURES.get(municipality.number, [])}
