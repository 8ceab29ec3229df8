from trappa.accounts.models import Role
from trappa.people.roles import IMPORT_ROLES

# The service statistics are aggregates for leaders and planners, and for the service office
# that reports them (seed 001's coordinating unit).
STATISTICS_ROLES = (Role.UNIT_LEADER, Role.PLANNER, Role.CASEWORKER)

# Who records a person's welfare technology by hand (the import brings it from decisions): the nurses
# and therapists who install and follow it up, the service office and unit leaders.
WELFARE_TECHNOLOGY_ROLES = (Role.NURSE, Role.THERAPIST, Role.CASEWORKER, Role.UNIT_LEADER)

# Who uploads the welfare-technology file from the decisions: those who import the register's files.
WELFARE_IMPORT_ROLES = IMPORT_ROLES
