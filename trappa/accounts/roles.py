"""The roles staff have, and which of them work with named persons. Each app lists its own in its roles.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NURSE = "nurse", _("Nurse, health station for older adults")
    THERAPIST = "therapist", _("Therapist")
    COURSE_LEADER = "course_leader", _("Course leader")
    CASEWORKER = "caseworker", _("Caseworker, service office")
    CAREGIVER_COORDINATOR = "caregiver_coordinator", _("Caregiver coordinator")
    UNIT_LEADER = "unit_leader", _("Unit leader")
    PLANNER = "planner", _("Planner")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that work with named persons. The planner sees aggregates only and the
# administrator manages users and configuration, never health data.
PERSONAL_DATA_ROLES = frozenset(
    {
        Role.NURSE,
        Role.THERAPIST,
        Role.COURSE_LEADER,
        Role.CASEWORKER,
        Role.CAREGIVER_COORDINATOR,
        Role.UNIT_LEADER,
    }
)

# Who may issue a one-time enrollment code for setting up an authenticator (trappa/accounts/enrollment.py):
# the approver of a user's access, for now the unit leader (for their unit) or an administrator.
ENROLLMENT_CODE_ISSUERS = frozenset({Role.UNIT_LEADER, Role.ADMINISTRATOR})

# Who decides role proposals and audits who had access (trappa/accounts/role_views.py); the municipality's
# configured role approver must hold one of these roles (manage.py set_role_approver).
ROLE_MANAGERS = (Role.UNIT_LEADER, Role.ADMINISTRATOR)
