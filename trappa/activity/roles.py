from trappa.accounts.models import Role

# The service statistics are aggregates for leaders and planners, and for the service office
# that reports them (seed 001's coordinating unit).
STATISTICS_ROLES = (Role.UNIT_LEADER, Role.PLANNER, Role.CASEWORKER)
