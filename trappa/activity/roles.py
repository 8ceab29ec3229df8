from trappa.accounts.models import Role

# The service statistics are aggregates for leaders and planners, and for the service office
# that reports them (seed 001's coordinating unit).
STATISTICS_ROLES = (Role.UNIT_LEADER, Role.PLANNER, Role.CASEWORKER)

# Who records a person's welfare technology by hand (the import brings it from decisions): the nurses
# and therapists who install and follow it up, the service office and unit leaders.
WELFARE_TECHNOLOGY_ROLES = (Role.NURSE, Role.THERAPIST, Role.CASEWORKER, Role.UNIT_LEADER)
