"""The national usage rates from 2026-12-03 recomputed from the published figures they cite (issue #15).

Every raw figure below is named with its source (docs/planning-sources.md, S1-S11, H1, K1, K2);
the arithmetic is the one documented there. The parameter file must hold these rates, for
women and for men, rounded to three significant digits.
"""

import datetime
from math import floor, log10

import numpy as np
from django.test import SimpleTestCase

from trappa.planning import params
from trappa.planning.engine import Scenario, project
from trappa.planning.engine.model import AGES
from trappa.planning.modelspec import build_inputs

# Raw published figures (see docs/planning-sources.md)
# S1: SSB key figures 2023 (residents 31 Dec, users, 26.9 % of people 80+ with home services).
S1 = {"long_term": 31405, "short_term": 10014, "home80_share": 0.269, "practical": 77636, "nursing": 175353}
# S2: SSB table 14288, population on 1 January 2024 by age group.
S2 = {"0-66": 4634722, "67-79": 658996, "80-89": 210751, "90+": 45734}
# S3: SSB, residents of institutions by age, 2010.
S3_2010 = {"0-66": 4529, "67-79": 7431, "80-89": 19552, "90+": 11945}
# S4: SSB, users of home services by age, 2008.
S4_2008 = {"0-66": 60128, "67-79": 31144, "80-89": 58101, "90+": 18068}
# S6: SSB, users of home services by type of service, 2014 (preliminary).
S6_2014 = {"only_practical": 39078, "only_nursing": 77864, "both": 63085}
# S9: SSB, residents of institutions by age, 2004.
INST_2004 = {"67-74": 3026, "75-79": 5108, "80-84": 9926, "85-89": 11034, "90+": 10025}
# S10: SSB, users of home-based services by age, 2004 (preliminary).
HOME_2004 = {"67-74": 16393, "75-79": 21842, "80-84": 34913, "85-89": 28153, "90+": 14476}
# S11: population on 1 January, the sum of the municipalities in SSB table 07459 as exported in
# github.com/folkehelseinstituttet/fhidata (inst/rawdata/population): 2005, 2009 and 2011 by age, 2021 by sex and age.
P2005 = {"67-74": 243345, "75-79": 136828, "80-84": 116001, "85-89": 62434, "90+": 28989}
P2009 = {"0-66": 4105472, "67-79": 389107, "80-89": 181528, "90+": 34073}
P2011 = {"0-66": 4204827, "67-79": 407614, "80-89": 179525, "90+": 37574}
P2021 = {"67-69": 162782, "70-74": 261129, "75-79": 189339, "80-84": 118947, "85-89": 71362}
# S11, 2021 by sex (women, men): sums over the municipalities of norway_population_by_age_sex_2021.csv.
F2021 = {"0-66": 2215576, "67-69": 81904, "70-74": 132553, "75-79": 99510, "80-84": 66637, "85-89": 43785, "90+": 32145}
M2021 = {"0-66": 2326136, "67-69": 80878, "70-74": 128576, "75-79": 89829, "80-84": 52310, "85-89": 27577, "90+": 13953}
F2021_0_66 = {"0-17": 541056, "18-49": 1114273, "50-66": 560247}
M2021_0_66 = {"0-17": 570634, "18-49": 1175849, "50-66": 579653}
# H1: Helsedirektoratet, Kommunale helse- og omsorgstjenester 2022, table 2.2.1: users of any municipal health and
# care service through 2022 as a share of the population, per cent (women, men).
H1 = {
    "0-17": (1.4, 2.1),
    "18-49": (3.9, 3.5),
    "50-66": (4.9, 4.4),
    "67-79": (13.7, 11.4),
    "80-89": (50.9, 36.7),
    "90+": (92.2, 78.9),
}
# K1: KOSTRA (SSB StatBank), country, 2023: share of inhabitants 80+ with an institution stay (long-term and
# short-term) on 31 December, of inhabitants 67-79 with day activities, of inhabitants 80+ with home services.
K1 = {"institution_80": 0.101, "day_care_67_79": 0.007, "home_services_80": 0.269}
# K2: KOSTRA, country, 2023: expenditure per occupied bed-day in institutions (functions 253 and 261), NOK.
K2_BED_DAY = 5156


def split(total, rates, pops):
    """Split a count among bands in proportion to rate x population; returns {band: rate}."""
    weights = {b: rates[b] * pops[b] for b in rates}
    s = sum(weights.values())
    return {b: total * weights[b] / s / pops[b] for b in rates}


def share_80():
    """Residents 80+ as a share of all residents: KOSTRA's 10.1 % of the 80+ population over S1's residents."""
    return K1["institution_80"] * (S2["80-89"] + S2["90+"]) / (S1["long_term"] + S1["short_term"])


def broad_institution(total):
    r10 = {b: S3_2010[b] / P2011[b] for b in S3_2010}
    over80 = split(total * share_80(), {b: r10[b] for b in ("80-89", "90+")}, S2)
    under80 = split(total * (1 - share_80()), {b: r10[b] for b in ("0-66", "67-79")}, S2)
    return {**under80, **over80}


def broad_home():
    r08 = {b: S4_2008[b] / P2009[b] for b in S4_2008}
    users80 = S1["home80_share"] * (S2["80-89"] + S2["90+"])
    over80 = split(users80, {b: r08[b] for b in ("80-89", "90+")}, S2)
    r6779 = over80["80-89"] * r08["67-79"] / r08["80-89"]
    practical_alone = S1["practical"] * (1 - S6_2014["both"] / (S6_2014["both"] + S6_2014["only_practical"]))
    all_users = S1["nursing"] + practical_alone
    rest = all_users - users80 - r6779 * S2["67-79"]
    return {"0-66": rest / S2["0-66"], "67-79": r6779, **over80}, practical_alone / all_users


# 2024 sub-band populations: the 2024 band totals split as in 2021
P2024 = {}
for band, subs in (("67-79", ("67-69", "70-74", "75-79")), ("80-89", ("80-84", "85-89"))):
    s = sum(P2021[x] for x in subs)
    for x in subs:
        P2024[x] = S2[band] * P2021[x] / s


def fine(broad, users2004):
    r04 = {b: users2004[b] / P2005[b] for b in users2004}
    r04["67-69"] = r04["70-74"] = r04["67-74"]
    out = {"0-66": broad["0-66"], "90+": broad["90+"]}
    out.update(split(broad["67-79"] * S2["67-79"], {b: r04[b] for b in ("67-69", "70-74", "75-79")}, P2024))
    out.update(split(broad["80-89"] * S2["80-89"], {b: r04[b] for b in ("80-84", "85-89")}, P2024))
    return out


BANDS = ("0-66", "67-69", "70-74", "75-79", "80-84", "85-89", "90+")
long_term = fine(broad_institution(S1["long_term"]), INST_2004)
short_term = fine(broad_institution(S1["short_term"]), INST_2004)
home, practical_share = broad_home()
home_fine = fine(home, HOME_2004)
practical = {b: home_fine[b] * practical_share for b in BANDS}
nursing = {b: home_fine[b] * (1 - practical_share) for b in BANDS}
GROUP = {"0-66": "0-66", "67-69": "67-79", "70-74": "67-79", "75-79": "67-79", "80-84": "80-89", "85-89": "80-89"}


def sex_ratio(group):
    """Women's rate over men's for any service (H1); for 0-66 the three published groups weighted by S11."""
    if group != "0-66":
        return H1[group][0] / H1[group][1]
    women = sum(H1[g][0] * F2021_0_66[g] for g in F2021_0_66) / sum(F2021_0_66.values())
    men = sum(H1[g][1] * M2021_0_66[g] for g in M2021_0_66) / sum(M2021_0_66.values())
    return women / men


def by_sex(rate, band):
    """(women, men): the ratio of H1, and the rate of both sexes together kept with the band's 2021 sex mix."""
    k = sex_ratio(GROUP.get(band, band))
    women, men = F2021[band], M2021[band]
    male = rate * (women + men) / (k * women + men)
    return k * male, male


RATES = {
    "long_term": long_term,
    "short_term": short_term,
    "practical_help": practical,
    "home_nursing": nursing,
}


def significant(x, digits=3):
    return 0.0 if x == 0 else round(x, -int(floor(log10(abs(x)))) + (digits - 1))


class PublishedRatesTest(SimpleTestCase):
    def setUp(self):
        self.ps = params.load(datetime.date(2026, 12, 3))

    def test_the_profile_has_five_year_groups_from_67(self):
        self.assertEqual(self.ps.age_band_starts, (0, 67, 70, 75, 80, 85, 90))
        self.assertEqual(self.ps.rates_confidence, "medium")
        self.assertIn("NOT FOUND: rates by sex for each care level", self.ps.rates_source)
        self.assertIn("Helsedirektoratet, H1", self.ps.rates_source)

    def test_every_rate_is_the_published_arithmetic(self):
        for level in self.ps.levels:
            if level.key not in RATES:
                continue
            with self.subTest(level=level.key):
                women, men = zip(*(by_sex(RATES[level.key][band], band) for band in BANDS), strict=True)
                self.assertEqual(list(level.female), [significant(r) for r in women])
                self.assertEqual(list(level.male), [significant(r) for r in men])

    def test_women_and_men_differ_by_the_published_ratio_and_keep_the_rate_of_both(self):
        # 80-89 in 2022: 50.9 % of women and 36.7 % of men used some municipal health and care service (H1).
        self.assertAlmostEqual(sex_ratio("80-89"), 50.9 / 36.7, places=12)
        self.assertAlmostEqual(sex_ratio("90+"), 92.2 / 78.9, places=12)
        self.assertAlmostEqual(sex_ratio("0-66"), 1.048, places=3)
        level = {lv.key: lv for lv in self.ps.levels}["long_term"]
        band = BANDS.index("85-89")
        self.assertAlmostEqual(level.female[band] / level.male[band], 50.9 / 36.7, places=2)
        # Women and men together give the rate of both sexes back (the 2021 sex mix of the band).
        both = (level.female[band] * F2021["85-89"] + level.male[band] * M2021["85-89"]) / (
            F2021["85-89"] + M2021["85-89"]
        )
        self.assertAlmostEqual(both / long_term["85-89"], 1, places=2)
        for key in RATES:
            lv = {x.key: x for x in self.ps.levels}[key]
            with self.subTest(level=key):
                self.assertTrue(all(f > m for f, m in zip(lv.female, lv.male, strict=True)))

    def test_residents_80_and_older_are_kostras_published_share(self):
        # KOSTRA 2023: 10.1 % of the 256,485 people 80+ lived in an institution on 31 December (K1), that is
        # 62.5 % of the 41,419 long-term and short-term residents (S1), not the article's rounded three in four.
        self.assertAlmostEqual(share_80(), 0.101 * 256485 / 41419, places=12)
        self.assertAlmostEqual(share_80(), 0.625, places=3)
        residents_80 = sum(
            (long_term[b] + short_term[b]) * (P2024[b] if b in P2024 else S2[b]) for b in ("80-84", "85-89", "90+")
        )
        self.assertAlmostEqual(residents_80 / 256485, 0.101, places=6)

    def test_day_care_at_67_79_is_kostras_published_rate(self):
        level = {lv.key: lv for lv in self.ps.levels}["day_care"]
        for band in ("67-69", "70-74", "75-79"):
            i = BANDS.index(band)
            with self.subTest(band=band):
                women, men = by_sex(K1["day_care_67_79"], band)
                self.assertEqual((level.female[i], level.male[i]), (significant(women), significant(men)))

    def test_the_kostra_compilation_agrees_with_ssbs_key_figures(self):
        # The compiled KOSTRA sheet (K1) gives 26.9 % of people 80+ with home services in 2023, as SSB's page (S1).
        self.assertEqual(K1["home_services_80"], S1["home80_share"])

    def test_an_institution_user_year_costs_what_kostra_publishes(self):
        # K2: NOK 5,156 per occupied bed-day in 2023, NOK 1,881,940 a year; other cost = the rest after staff.
        levels = {lv.key: lv for lv in self.ps.levels}
        staff_year = self.ps.cost_per_staff_year
        for key in ("long_term", "short_term"):
            lv = levels[key]
            with self.subTest(level=key):
                total = lv.staff_years_per_user.value * staff_year.value + lv.other_cost_per_user.value
                self.assertAlmostEqual(total / (K2_BED_DAY * 365), 1, places=2)
                self.assertEqual(
                    lv.other_cost_per_user.low,
                    round(K2_BED_DAY * 365 - lv.staff_years_per_user.value * staff_year.high, -4),
                )
                self.assertEqual(
                    lv.other_cost_per_user.high,
                    round(K2_BED_DAY * 365 - lv.staff_years_per_user.value * staff_year.low, -4),
                )

    def test_home_services_at_67_79_are_a_ratio_of_rates_not_of_counts(self):
        # 2008: 31,144 users 67-79 of 389,107 people; 58,101 users 80-89 of 181,528 (table 07459, 1 January 2009).
        ratio = (31144 / 389107) / (58101 / 181528)
        home, _practical_share = broad_home()
        self.assertAlmostEqual(home["67-79"], home["80-89"] * ratio, places=12)
        # The stored five-year rates of women and men give that broad rate back: 6.0 %, where the ratio of counts
        # gave 4.3 %.
        keys = [self.ps.level_keys.index(k) for k in ("practical_help", "home_nursing")]
        rates = self.ps.rates()
        users = sum(
            (rates[0, start, k] * F2021[band] + rates[1, start, k] * M2021[band])
            / (F2021[band] + M2021[band])
            * P2024[band]
            for k in keys
            for band, start in (("67-69", 67), ("70-74", 70), ("75-79", 75))
        )
        self.assertAlmostEqual(users / S2["67-79"], 0.0602, places=3)

    def test_the_broad_totals_are_kept(self):
        # The 2023 long-term residents 80-89 (KOSTRA's share of 31,405 split by the 2010 rates) are kept by the
        # five-year split.
        users = sum(long_term[b] * P2024[b] for b in ("80-84", "85-89"))
        self.assertAlmostEqual(users, broad_institution(31405)["80-89"] * S2["80-89"], places=6)
        total = sum(broad_institution(31405)[b] * S2[b] for b in S2)
        self.assertAlmostEqual(total, 31405, places=6)

    def test_short_term_beds_get_at_least_the_staff_of_long_term_beds(self):
        staff = {level.key: level.staff_years_per_user for level in self.ps.levels}
        self.assertGreaterEqual(staff["short_term"].value, staff["long_term"].value)
        self.assertIn("ASSUMPTION, not a published figure", staff["short_term"].source)

    def test_the_lower_bound_of_a_staff_year_includes_pension(self):
        cost = self.ps.cost_per_staff_year
        self.assertEqual(cost.low, 790000)
        self.assertEqual(round((53360 * 12 * 1.141) // 10000 * 10000 - 10000 + 73000, -4), cost.low)
        self.assertIn("pension", cost.source)


class TheEngineUsesTheRatesOfEachSexTest(SimpleTestCase):
    def test_a_thousand_women_and_a_thousand_men_of_85_get_their_own_rates_and_kostras_cost(self):
        ps = params.load(datetime.date(2026, 12, 3))
        population = np.zeros((1, 1, 2, AGES, 1))
        population[0, 0, :, 85, 0] = 1000
        inputs = build_inputs(population, 2026, ("MMMM",), ps, np.ones((1, len(ps.levels))))
        result = project(inputs, Scenario("baseline"), draws=0)
        users = result.central["users"]["baseline"][0]
        row = ps.level_keys.index("long_term")
        women, men = by_sex(long_term["85-89"], "85-89")
        # 1,000 x 0.0944 women and 1,000 x 0.0681 men (rates rounded to three digits, as stored).
        self.assertAlmostEqual(users[row, 0], 1000 * (significant(women) + significant(men)), places=6)
        self.assertAlmostEqual(users[row, 0], 162.5, places=6)
        cost = result.central["cost"]["baseline"][0]
        # Each of them costs KOSTRA's bed-year: 1.1 x 900,000 + 890,000 = NOK 1,880,000 (K2: 1,881,940).
        self.assertAlmostEqual(cost[row, 0] / users[row, 0], 1_880_000, places=3)
