"""Who may edit the municipality's letter texts and letter settings (no personal data)."""

from trappa.accounts.models import Role

LETTER_EDITORS = (Role.UNIT_LEADER, Role.ADMINISTRATOR)
