from trappa.accounts.models import Role

# Who records preventive home visits: the health station's nurses, the therapists, and unit leaders.
VISIT_ROLES = (Role.NURSE, Role.THERAPIST, Role.UNIT_LEADER)
