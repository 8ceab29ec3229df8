from trappa.accounts.models import Role

# The service office grants day places and the unit leaders run them: they set up places and capacity.
MANAGERS = (Role.CASEWORKER, Role.UNIT_LEADER)

# The overview and its scenario are counts only, no names: the planner and the caregiver coordinator
# see them too. Rosters and waitlists with names are the groups' pages (trappa/referrals).
VIEWERS = (*MANAGERS, Role.NURSE, Role.CAREGIVER_COORDINATOR, Role.PLANNER)
