from trappa.people.models import ImportKind

from ._importing import ImportCommand


class Command(ImportCommand):
    help = "Import a decisions file (docs/register-format.md); a file with any bad row is rejected whole."
    kind = ImportKind.DECISIONS
