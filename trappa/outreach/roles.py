from trappa.accounts.models import Role
from trappa.people.roles import IMPORT_ROLES

# The health station works the worklist: its nurses, and the unit leader.
OUTREACH_ROLES = (Role.NURSE, Role.UNIT_LEADER)

# The acceptance rate is counts only, so the planner sees it too.
ACCEPTANCE_ROLES = (*OUTREACH_ROLES, Role.PLANNER)

# Who uploads the medicine lists from the GP or the home service: those who import the register's files.
MEDICINE_IMPORT_ROLES = IMPORT_ROLES
