"""The scopes a machine client may be granted; each endpoint names the one it needs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ_PERSONS = "read:persons", _("Read persons")
    WRITE_REGISTER = "write:register", _("Write the register")
    READ_WORKLIST = "read:worklist", _("Read worklists")
    READ_PLANNING = "read:planning", _("Read projections and runs")
    WRITE_REFERRALS = "write:referrals", _("Move referrals to their next step")
    WRITE_ENROLLMENTS = "write:enrollments", _("Enrol persons in groups and move their places")
