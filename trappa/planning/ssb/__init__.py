"""Readers for Statistics Norway's population projections (no Django here).

StatBank table 14288 ("Framskrevet folkemengde 1. januar, etter kjønn, alder,
statistikkvariabel, år, region og alternativ") and its successor 14746 are read
from PxWebApi json-stat2 and from CSV with codes or with texts. Every reader
returns a `ProjectionTable`: population by alternative, municipality, sex, one-
year age and year, under today's municipality numbers (see numbers.py).
`read_population` reads today's population (table 07459) per municipality.
"""

from .readers import (
    ProjectionTable,
    SsbFormatError,
    read_csv,
    read_file,
    read_jsonstat,
    read_path,
    read_population,
    read_population_path,
)

__all__ = [
    "ProjectionTable",
    "SsbFormatError",
    "read_csv",
    "read_file",
    "read_jsonstat",
    "read_path",
    "read_population",
    "read_population_path",
]
