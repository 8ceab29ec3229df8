"""Forms for the second factor and for the administrator's user and unit pages."""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappa.accounts.models import PERSONAL_DATA_ROLES, Department, Role, Unit, User


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The six digits from your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


class EnrollForm(CodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("The six digits the app now shows for Trappa.")


class EnrollmentCodeForm(forms.Form):
    enrollment_code = forms.CharField(
        label=_("Enrollment code"),
        max_length=20,
        help_text=_("The one-time code your leader or an administrator gave you, e.g. ABCD-EFGH-JKMN."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True, "spellcheck": "false"}),
    )


class UserForm(forms.ModelForm):
    """A user's name, e-mail and OpenID Connect subject, and the role to propose for them.

    The account details are saved at once; a role, unit, department or expiry
    that differs from the user's current one becomes a RoleProposal, which takes
    effect only when approved (trappa/accounts/approval.py). Units and departments
    are limited to the administrator's municipality, and the department must
    belong to the chosen unit.
    """

    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------"), *Role.choices])
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)
    role_expires = forms.DateField(
        label=_("Role expires"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day the role counts, for a temporary position. Leave empty for no end date."),
    )
    reason = forms.CharField(
        label=_("Why this role"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The documented need for the access. The approver reads it; it is kept in the role history."),
    )

    field_order = ["username", "first_name", "last_name", "email", "oidc_subject", "password"]

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "oidc_subject"]
        labels = {"oidc_subject": _("HelseID / ID-porten subject")}
        help_texts = {
            "oidc_subject": _("The identifier the login provider sends for this person. Leave empty for none."),
        }
        error_messages = {"oidc_subject": {"unique": _("Another user already has this subject.")}}

    def __init__(self, *args, municipality, editor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality, self.editor = municipality, editor
        self.fields["unit"].queryset = Unit.objects.filter(municipality=municipality)
        self.fields["department"].queryset = Department.objects.filter(unit__municipality=municipality).select_related(
            "unit"
        )
        # A user may be without a role (revoked, expired); editing their name needs none.
        self.fields["role"].required = not self.instance.pk
        if self.instance.pk:
            expires = self.instance.role_expires_at
            self.initial.update(
                role=self.instance.role,
                unit=self.instance.unit_id,
                department=self.instance.department_id,
                role_expires=timezone.localdate(expires - timedelta(microseconds=1)) if expires else None,
            )

    def clean_oidc_subject(self):
        # Empty means none: stored as NULL, so many users may have no subject.
        return (self.cleaned_data["oidc_subject"] or "").strip() or None

    def clean(self):
        cleaned = super().clean()
        role, unit, department = cleaned.get("role"), cleaned.get("unit"), cleaned.get("department")
        if department and department.unit_id != getattr(unit, "id", None):
            self.add_error("department", _("The department must belong to the chosen unit."))
        if role in PERSONAL_DATA_ROLES and unit is None:
            self.add_error("unit", _("A role that sees personal data belongs to a unit: choose one."))
        if self.editor is not None and self.instance == self.editor and role and role != Role.ADMINISTRATOR:
            self.add_error("role", _("You cannot take the administrator role from yourself."))
        expires = cleaned.get("role_expires")
        if expires and expires < timezone.localdate():
            self.add_error("role_expires", _("The expiry date has passed."))
        if self.role_changed() and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why the user needs this role."))
        return cleaned

    def proposed_role(self):
        """The role, unit, department and expiry as chosen, for roles.propose()."""
        cleaned = self.cleaned_data
        return {
            "role": cleaned.get("role") or "",
            "unit": cleaned.get("unit"),
            "department": cleaned.get("department"),
            "expires_at": _end_of(cleaned.get("role_expires")),
        }

    def role_changed(self):
        proposed = self.proposed_role()
        if not proposed["role"]:
            return False
        if not self.instance.pk:
            return True
        current = {
            "role": self.instance.role,
            "unit": self.instance.unit,
            "department": self.instance.department,
            "expires_at": self.instance.role_expires_at,
        }
        return proposed != current


def _end_of(day):
    """The end of `day` in local time: a role that expires on a day counts all that day."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


class NewUserForm(UserForm):
    """A new user: a username, and an initial password unless they log in only through OpenID Connect.

    The account is created without a role; the role is proposed for approval.
    """

    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. Leave empty for a user who logs in only with HelseID or ID-porten."),
    )

    class Meta(UserForm.Meta):
        fields = ["username", *UserForm.Meta.fields]

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if not password and not cleaned.get("oidc_subject"):
            self.add_error("password", _("Give an initial password or a login provider subject."))
        if password:
            candidate = User(username=cleaned.get("username", ""), first_name=cleaned.get("first_name", ""))
            try:
                validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=False)
        user.municipality = self.municipality
        if self.cleaned_data["password"]:
            user.set_password(self.cleaned_data["password"])
        else:
            user.set_unusable_password()
        if commit:
            user.save()
        return user


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Why the role is taken away"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class AccessReportForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(municipality=municipality)


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = [
            "name",
            "code",
            "phone",
            "email",
            "street_address",
            "postal_code",
            "postal_place",
            "opening_hours",
            "contact_person",
        ]
        help_texts = {"code": _("A short name for addresses and files: lower-case letters, digits and hyphens.")}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality

    def clean_code(self):
        code = self.cleaned_data["code"]
        if (
            Unit.objects.filter(municipality=self.instance.municipality, code=code)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise forms.ValidationError(_("Another unit already has this code."))
        return code


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["unit", "name", "code"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(municipality=municipality)

    def clean(self):
        cleaned = super().clean()
        unit, code = cleaned.get("unit"), cleaned.get("code")
        if unit and code and Department.objects.filter(unit=unit, code=code).exists():
            self.add_error("code", _("Another department of this unit already has this code."))
        return cleaned
