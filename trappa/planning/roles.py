from trappa.accounts.models import Role

# Planning works with aggregates: the planners, and the unit leaders who plan their units.
PLANNING_ROLES = (Role.PLANNER, Role.UNIT_LEADER)
