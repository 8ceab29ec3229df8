from trappa.people.models import ImportKind

from ._importing import ImportCommand


class Command(ImportCommand):
    help = "Import a relations file (docs/register-format.md); a file with any bad row is rejected whole."
    kind = ImportKind.RELATIONS
