"""Organisation (municipality, unit, department) and staff users with roles."""

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from trappa.accounts.roles import PERSONAL_DATA_ROLES, Role


class WrittenStandard(models.TextChoices):
    BOKMAL = "nb", _("Bokmål")
    NYNORSK = "nn", _("Nynorsk")


class Municipality(models.Model):
    """A municipality: the boundary personal data never crosses."""

    number = models.CharField(
        _("municipality number"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("A municipality number has four digits."))],
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(unique=True)
    written_standard = models.CharField(
        _("default written standard"),
        max_length=2,
        choices=WrittenStandard.choices,
        default=WrittenStandard.BOKMAL,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return f"{self.name} ({self.number})"


class Unit(models.Model):
    """A unit of the municipality (Helsetjenesten, Tjenestekontoret ...)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="units")
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["municipality", "name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="unit_code_unique")]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.name


class Department(models.Model):
    """A department inside a unit (e.g. the health station for older adults)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="departments")
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["unit", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="department_code_unique")]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return f"{self.unit.name} – {self.name}"


class User(AbstractUser):
    """A member of staff. Every user belongs to one municipality and has one role."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    # Subject identifier from the OpenID Connect provider (HelseID, ID-porten),
    # set by an administrator; OIDC logins are matched on it, never created.
    oidc_subject = models.CharField(max_length=255, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def sees_personal_data(self):
        return self.is_active and self.role in PERSONAL_DATA_ROLES and self.municipality_id is not None

    @property
    def needs_two_factor(self):
        return self.sees_personal_data or self.is_superuser or self.role == Role.ADMINISTRATOR
