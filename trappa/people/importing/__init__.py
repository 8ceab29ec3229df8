"""Import of register files (persons, decisions, relations); see docs/register-format.md."""

from trappa.people.models import ImportKind

from .decisions import DecisionImporter
from .engine import CHECKING, COMPARING, WRITING, run_import
from .persons import PersonImporter
from .relations import RelationImporter

IMPORTERS = {
    ImportKind.PERSONS: PersonImporter,
    ImportKind.DECISIONS: DecisionImporter,
    ImportKind.RELATIONS: RelationImporter,
}

__all__ = ["CHECKING", "COMPARING", "IMPORTERS", "WRITING", "import_file"]


def import_file(kind, path, municipality, **options):
    """Import the file at `path` of `kind` (an ImportKind); see engine.run_import for the options."""
    return run_import(IMPORTERS[kind], path, municipality, **options)
