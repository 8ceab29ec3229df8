from trappa.accounts.models import Role

# Who imports the population register: the administrator, and the service office's caseworkers.
IMPORT_ROLES = (Role.ADMINISTRATOR, Role.CASEWORKER)
