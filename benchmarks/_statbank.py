"""Residents per municipality from Statistics Norway's StatBank table 07459 (population 1 January, by region
and age), as a CSV download: what the national benchmark (benchmarks/national.py) sizes each register by.

The downloads come in a few shapes, all accepted: semicolon- or tab-separated, a title line and a blank line
before the header (whose first field is "region"), regions written "K-1824 Vefsn" or "1824 Vefsn", one row
per region and age with the count in the last column. The ages are summed. Regions that are no municipality
("K-23 Continental shelf", "K-Rest ...") and municipalities with no residents are left out.

    python -m benchmarks._statbank Personer2021.csv > benchmarks/data/municipalities_2021.csv
"""

import csv
import re
import sys
from pathlib import Path

DATA = Path(__file__).with_name("data") / "municipalities_2021.csv"
REGION = re.compile(r"^(?:K-)?(\d{4}) (.+)$")
NONE = {"-", ".", "..", ":", ""}  # StatBank's symbols for nil, not applicable, not available, confidential


class StatBankError(ValueError):
    """The file is not a table 07459 download; str() says why."""


def read_population(text):
    """{number: (name, residents)} from the text of a table 07459 download, sorted by number."""
    lines = text.splitlines()
    delimiter = "\t" if any("\t" in line for line in lines[:5]) else ";"
    rows = csv.reader(lines, delimiter=delimiter)
    for row in rows:
        if row and row[0].strip().lower() == "region":
            break
    else:
        raise StatBankError("no header line starting with 'region'")
    found = {}
    for line, row in enumerate(rows, start=1):
        if not row:
            continue
        match = REGION.match(row[0].strip())
        if not match:
            continue  # not a municipality: the continental shelf, Svalbard, "the rest"
        count = row[-1].strip()
        if count not in NONE and not count.isdigit():
            raise StatBankError(f"row {line} after the header: {count!r} is not a count")
        number, name = match.groups()
        residents = found.get(number, (name, 0))[1] + (0 if count in NONE else int(count))
        found[number] = (name, residents)
    return {number: found[number] for number in sorted(found) if found[number][1]}


def decode(data):
    """StatBank's downloads are UTF-8 or, as the one in fhidata, ISO 8859-1."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


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
    table = read_population(decode(Path(argv[0]).read_bytes()))
    out = csv.writer(sys.stdout, lineterminator="\n")
    sys.stdout.write(HEADER)
    out.writerow(["number", "name", "residents"])
    out.writerows((number, name, residents) for number, (name, residents) in table.items())


if __name__ == "__main__":
    main(sys.argv[1:])
