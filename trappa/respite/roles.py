from trappa.accounts.models import Role

# The service office grants and plans stays, unit leaders run the units, the coordinator follows the
# caregivers, and the nurses (home nursing, health station) follow the persons between stays.
RESPITE_ROLES = (Role.NURSE, Role.CASEWORKER, Role.UNIT_LEADER, Role.CAREGIVER_COORDINATOR)

# The capacity scenario shows counts only: the planner sees it too.
CAPACITY_ROLES = (*RESPITE_ROLES, Role.PLANNER)
