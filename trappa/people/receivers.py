"""End a person's care relationships when follow-up ends (death or moving out)."""

from trappa.audit.relationships import end_care_relationships
from trappa.people.signals import DIED, MOVED

END_REASONS = (DIED, MOVED)


def end_follow_up(sender, person, reason, date, **kwargs):
    """Receiver of trappa.people.signals.follow_up_ended."""
    if reason not in END_REASONS:
        raise ValueError(f"Unknown reason for ending follow-up: {reason!r}")
    end_care_relationships(person, reason, date)
