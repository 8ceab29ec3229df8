"""Organisation (municipality, unit, department) and staff users with roles."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
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
    # Who approves roles that belong to no unit (planner, administrator), and any
    # role when a unit has no leader (trappa/accounts/approval.py). Set with
    # `manage.py set_role_approver`, never from the administrator's own pages.
    role_approver = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
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
    # The contact block of every letter the unit sends (trappa/letters): a letter is not printed without a phone.
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    street_address = models.CharField(_("address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=4, blank=True)
    postal_place = models.CharField(_("postal place"), max_length=100, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    contact_person = models.CharField(
        _("responsible person"),
        max_length=200,
        blank=True,
        help_text=_("Named in letters as the person to ask, unless the letter names another (a group's leader)."),
    )

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


class StaffManager(UserManager):
    """The user with their unit and municipality, which nearly every page reads (the access
    log's unit name, the municipality's rules and name): the authentication backends load the
    logged-in user through the default manager, so this makes it one query per request, not three."""

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "municipality")


class User(AbstractUser):
    """A member of staff. Every user belongs to one municipality and has one role."""

    objects = UserManager()
    # The default manager (Meta.default_manager_name), so the backends' get_user uses it; the
    # settings' AUTHENTICATION_BACKENDS stay as they are, and so do the sessions that name them.
    with_organisation = StaffManager()

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    # Subject identifier from the OpenID Connect provider (HelseID, ID-porten),
    # set by an administrator; OIDC logins are matched on it, never created.
    oidc_subject = models.CharField(max_length=255, unique=True, null=True, blank=True)
    # The role (with its unit and department) ends at this moment: it no longer
    # counts from then on, and `manage.py expire_roles` takes it away.
    role_expires_at = models.DateTimeField(_("role expires"), null=True, blank=True)

    class Meta:
        default_manager_name = "with_organisation"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def role_has_expired(self):
        return self.role_expires_at is not None and self.role_expires_at <= timezone.now()

    @property
    def sees_personal_data(self):
        return (
            self.is_active
            and self.role in PERSONAL_DATA_ROLES
            and self.municipality_id is not None
            and not self.role_has_expired
        )

    @property
    def needs_two_factor(self):
        # Every member of staff: planners see aggregates of health data, administrators manage
        # who sees what, and every other role sees persons.
        return self.is_superuser or bool(self.is_active and self.role)


class EnrollmentCode(models.Model):
    """A one-time code that lets a user set up an authenticator (the rules: trappa/accounts/enrollment.py).
    Only its hash is stored; the row records who issued it, when it expires and when it was used."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrollment_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("enrollment code")
        verbose_name_plural = _("enrollment codes")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class RoleProposal(models.Model):
    """A role (with unit and department) an administrator proposes for a user.

    It takes effect only when approved by the unit's leader or the
    municipality's role approver, never by whoever proposed it
    (trappa/accounts/approval.py).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_proposals")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    expires_at = models.DateTimeField(_("role expires"), null=True, blank=True)
    # The documented need for the access.
    reason = models.TextField(_("why"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]

    def __str__(self):
        return f"{self.get_role_display()} ({self.unit})" if self.unit_id else self.get_role_display()


class RoleEventKind(models.TextChoices):
    CREATED = "created", _("Account created")
    PROPOSED = "proposed", _("Role proposed")
    APPROVED = "approved", _("Role approved")
    REJECTED = "rejected", _("Role rejected")
    REVOKED = "revoked", _("Role revoked")
    EXPIRED = "expired", _("Role expired")
    CHANGED = "changed", _("Changed outside the approval")
    DEACTIVATED = "deactivated", _("Account deactivated")
    REACTIVATED = "reactivated", _("Account reactivated")
    PASSWORD_RESET = "password_reset", _("Password set")
    TWO_FACTOR_RESET = "two_factor_reset", _("Two-factor reset")
    LOGIN_CHANGED = "login_changed", _("Login provider subject changed")
    APPROVER_SET = "approver_set", _("Made the municipality's role approver")


class RoleEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The role history cannot be changed")

    def delete(self):
        raise PermissionError("The role history cannot be deleted")


class RoleEvent(models.Model):
    """One change to an account or its role: the append-only role history.

    Who did it (`actor`), to whom (`user`), what (`kind`), the role and unit
    before and after, who approved it, and why. Every event carries the
    account's state after it (role, unit, active), so who had access to a unit
    on a given day can be read from the history alone. Written by
    trappa/accounts/history.py; saving an existing event or deleting one
    raises, and on PostgreSQL a trigger refuses UPDATE and DELETE as well.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_events")
    username = models.CharField(max_length=150)
    # None: done outside Trappa's pages (a management command, the shell).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_username = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=20, choices=RoleEventKind.choices)
    role_from = models.CharField(max_length=30, blank=True)
    role_to = models.CharField(max_length=30, blank=True)
    unit_from = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, related_name="+")
    unit_to = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, related_name="+")
    department_to = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, related_name="+")
    is_active = models.BooleanField()
    expires_at = models.DateTimeField(null=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    proposal = models.ForeignKey(RoleProposal, on_delete=models.PROTECT, null=True, related_name="events")
    reason = models.TextField(blank=True)

    objects = RoleEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["user", "at"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The role history cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The role history cannot be deleted")

    def role_label(self, role):
        return dict(Role.choices).get(role, role)

    @property
    def role_from_label(self):
        return self.role_label(self.role_from)

    @property
    def role_to_label(self):
        return self.role_label(self.role_to)
