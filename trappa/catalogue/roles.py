from trappa.accounts.models import Role

# Who edits the catalogue's offerings: unit leaders, planners and the administrator.
EDITORS = (Role.UNIT_LEADER, Role.PLANNER, Role.ADMINISTRATOR)

# Who edits the action plan.
PLANNERS = (Role.PLANNER, Role.UNIT_LEADER)

# Who configures the municipality's steps and locations.
CONFIGURATION = (Role.ADMINISTRATOR,)

# Who edits the public caregiver page.
CAREGIVER_PAGE_EDITORS = (*CONFIGURATION, Role.UNIT_LEADER)
