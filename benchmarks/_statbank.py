"""Residents per municipality from Statistics Norway's StatBank table 07459 (population 1 January, by region
and age): what the national benchmark (benchmarks/national.py) sizes each register by. The download is read
by the planning app's SSB reader (`trappa.planning.ssb.read_population`); this module keeps the data file.

    python -m benchmarks._statbank Personer2021.csv > benchmarks/data/municipalities_2021.csv
"""

import csv
import sys
from pathlib import Path

DATA = Path(__file__).with_name("data") / "municipalities_2021.csv"


def municipalities(path=DATA):
    """[(number, name, residents)] from the data file written by this module (lines starting # are notes)."""
    with open(path, encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return [(row["number"], row["name"], int(row["residents"])) for row in rows]


HEADER = """\
# Residents per municipality on 1 January 2021: Statistics Norway (SSB), StatBank table 07459
# (Population, by region, age, contents and year), "Persons 2021", summed over ages 0 to 105 or older.
# Licence: Norwegian Licence for Open Government Data (NLOD 2.0); source: Statistics Norway.
# Taken from the copy in github.com/folkehelseinstituttet/fhidata, inst/rawdata/population/Personer2021.csv,
# by `python -m benchmarks._statbank Personer2021.csv` (benchmarks/_statbank.py). 356 municipalities, 5,391,369.
"""


def main(argv):
    from trappa.planning.ssb import read_population_path

    table = read_population_path(Path(argv[0]))
    out = csv.writer(sys.stdout, lineterminator="\n")
    sys.stdout.write(HEADER)
    out.writerow(["number", "name", "residents"])
    out.writerows((number, name, residents) for number, (name, residents) in table.items())


if __name__ == "__main__":
    main(sys.argv[1:])
