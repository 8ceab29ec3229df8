"""Write the sample files in SSB's formats: `python -m trappa.demo.samples.make_samples`.

The figures are SYNTHETIC (not SSB's): a base population shaped like a small
Norwegian municipality, projected with a Gompertz mortality table, constant
births and no migration; the low (LLML) and high (HHMH) alternatives change
mortality and births. They exist so tests and the demo run without network;
load the real table 14288/14746 from StatBank for planning.
"""

import csv
import io
import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent.parent.parent / "tests" / "planning" / "data"
TITLE = "14288: Framskrevet folkemengde 1. januar, etter region, kjønn, alder, statistikkvariabel, år og alternativ"
ALTERNATIVES = {
    "MMMM": "Hovedalternativet (MMMM)",
    "LLML": "Lav nasjonal vekst (LLML)",
    "HHMH": "Høy nasjonal vekst (HHMH)",
}
SEXES = {"1": "Menn", "2": "Kvinner"}


def age_code(age):
    return "105+" if age == 105 else f"{age:03d}"


def age_text(age):
    return "105 år eller eldre" if age == 105 else f"{age} år"


def synthetic_projection(total, years, seed):
    """(3 alternatives, 2 sexes (male, female in SSB's code order), 106 ages, years).

    The base population is the stationary population of the mortality table
    with a post-war baby-boom bump (ages 55-80 today) and smaller young cohorts,
    so the number of people 80+ grows towards 2050 as in SSB's projections.
    """
    rng = np.random.default_rng(seed)
    ages = np.arange(106)
    excess = np.array([[1.35], [1.0]])  # male mortality above female
    q = np.clip(np.exp(-10.8 + 0.095 * ages) * excess, 0, 1)
    survival = np.cumprod(np.hstack([np.ones((2, 1)), 1 - q[:, :-1]]), axis=1)
    shape = 1 + 0.6 * np.exp(-(((ages - 58) / 14) ** 2)) - 0.2 * (ages < 25)
    base = survival * shape * np.array([[1.03], [1.0]])
    base *= total / base.sum()
    base *= rng.uniform(0.95, 1.05, base.shape)
    migrants = np.exp(-(((ages - 28) / 7) ** 2))
    migrants /= migrants.sum()
    out = np.zeros((3, 2, 106, len(years)))
    for a, (mortality, births) in enumerate(((1.0, 1.0), (1.12, 0.9), (0.88, 1.1))):
        pop = base.copy()
        for y in range(len(years)):
            out[a, :, :, y] = np.round(pop)
            survivors = pop * (1 - np.clip(q * mortality, 0, 1))
            pop = np.zeros_like(pop)
            pop[:, 1:] = survivors[:, :-1]
            pop[:, -1] += survivors[:, -1]
            pop[:, 0] = total * 0.0095 * births * np.array([0.513, 0.487])
            pop += total * 0.003 * births * migrants * 0.5
    return out


def jsonstat(regions, names, ages, years, values):
    """values: (R, 2, G, Y, A) in SSB's dimension order Region, Kjonn, Alder, ContentsCode, Tid, Alternativ."""
    dims = {
        "Region": ("region", regions, {r: names[r] for r in regions}),
        "Kjonn": ("kjønn", list(SEXES), SEXES),
        "Alder": ("alder", [age_code(a) for a in ages], {age_code(a): age_text(a) for a in ages}),
        "ContentsCode": ("statistikkvariabel", ["Personer"], {"Personer": "Personer"}),
        "Tid": ("år", [str(y) for y in years], {str(y): str(y) for y in years}),
        "Alternativ": ("alternativ", list(ALTERNATIVES), ALTERNATIVES),
    }
    return {
        "version": "2.0",
        "class": "dataset",
        "label": TITLE,
        "source": "Statistisk sentralbyrå (SYNTHETIC sample in SSB's format, not SSB's figures)",
        "updated": "2024-06-12T06:00:00Z",
        "note": ["Syntetiske tall i SSBs format, laget av Trappa for tester og demo."],
        "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
        "id": list(dims),
        "size": [len(d[1]) for d in dims.values()],
        "dimension": {
            key: {
                "label": label,
                "category": {"index": {c: i for i, c in enumerate(codes)}, "label": labels},
                **({"extension": {"elimination": False}} if key != "ContentsCode" else {}),
            }
            for key, (label, codes, labels) in dims.items()
        },
        "value": [int(v) for v in values.reshape(-1)],
    }


def csv_wide(header, rows, delimiter, title=None):
    buffer = io.StringIO()
    if title:
        buffer.write(f'"{title}"\n\n')
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def tiny_value(r, s, g, y, a):
    return 10000 * a + 1000 * (r + 1) + 100 * (s + 1) + 10 * (g + 1) + (y + 1)


def write_tiny():
    regions, names = ["3451", "1824"], {"3451": "Nord-Aurdal", "1824": "Vefsn"}
    ages, years = [80, 105], [2025, 2026]
    values = np.zeros((2, 2, 2, 1, 2, 3))
    for idx in np.ndindex(2, 2, 2, 2, 3):
        r, s, g, y, a = idx
        values[r, s, g, 0, y, a] = tiny_value(*idx)
    data = jsonstat(regions, names, ages, years, values)
    (TESTS / "14288_tiny.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    alts = list(ALTERNATIVES)
    codes, texts = [], []
    for r, s, g, a in np.ndindex(2, 2, 2, 3):
        figures = [int(tiny_value(r, s, g, y, a)) for y in range(2)]
        codes.append([regions[r], list(SEXES)[s], age_code(ages[g]), "Personer", alts[a], *figures])
        # The texts variant here comes from an older download, under Nord-Aurdal's pre-2020 number.
        region_text = "0542 Nord-Aurdal (-2019)" if regions[r] == "3451" else "1824 Vefsn"
        texts.append([region_text, list(SEXES.values())[s], age_text(ages[g]), ALTERNATIVES[alts[a]], *figures])
    header = ["Region", "Kjonn", "Alder", "ContentsCode", "Alternativ", "2025", "2026"]
    (TESTS / "14288_tiny_codes.csv").write_text(csv_wide(header, codes, ";"), encoding="utf-8")
    header = ["region", "kjønn", "alder", "alternativ", "Personer 2025", "Personer 2026"]
    (TESTS / "14288_tiny_texts.csv").write_text(csv_wide(header, texts, ",", TITLE), encoding="utf-8")


def write_demo():
    years = list(range(2024, 2051))
    ages = list(range(106))
    regions, names = ["1824", "3451"], {"1824": "Vefsn", "3451": "Nord-Aurdal"}
    sizes = {"1824": (13400, 1824), "3451": (6400, 3451)}
    values = np.zeros((2, 2, 106, 1, len(years), 3))
    for r, region in enumerate(regions):
        total, seed = sizes[region]
        projection = synthetic_projection(total, years, seed)  # (A, S, G, Y)
        values[r, :, :, 0, :, :] = projection.transpose(1, 2, 3, 0)
    data = jsonstat(regions, names, ages, years, values)
    (HERE / "14288_vefsn_nord-aurdal_synthetic.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    write_tiny()
    write_demo()
