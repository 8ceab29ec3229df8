from trappa.accounts.models import Role

# The coordinator and the departments' caregiver contacts (nurses, caseworkers, unit leaders) follow caregivers up.
CAREGIVER_ROLES = (Role.NURSE, Role.CASEWORKER, Role.UNIT_LEADER, Role.CAREGIVER_COORDINATOR)

# Who names the caregiver contact of a department.
CONTACT_EDITORS = (Role.UNIT_LEADER, Role.ADMINISTRATOR, Role.CAREGIVER_COORDINATOR)
