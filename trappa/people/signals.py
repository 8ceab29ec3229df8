"""Signals the people register sends to the apps above it.

The apps above the people register react to these events. The people app's own
receiver ends the person's care relationships (trappa/people/receivers.py).
"""

from django.dispatch import Signal

# A person who was followed up has died or moved out of the municipality.
# Sent with sender=Person and keyword arguments person (the Person, already
# saved), reason ("died" or "moved") and date (the date of death or moving).
# Sent inside the import's transaction: a receiver that fails rolls the whole
# import back, and what a receiver writes is committed with the import.
follow_up_ended = Signal()

DIED = "died"
MOVED = "moved"

# A register file was imported and written (not a dry run, not rejected).
# Sent with sender=ImportBatch and batch (the finished ImportBatch), after the
# import's own transaction block has ended, so receivers see the new register. Apps
# above use it to react to new decisions (e.g. caregiver mapping prompts).
register_imported = Signal()
