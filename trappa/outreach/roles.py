from trappa.accounts.models import Role

# The health station works the worklist: its nurses, and the unit leader.
OUTREACH_ROLES = (Role.NURSE, Role.UNIT_LEADER)

# The acceptance rate is counts only, so the planner sees it too.
ACCEPTANCE_ROLES = (*OUTREACH_ROLES, Role.PLANNER)
