"""Forms for the second factor and for the administrator's user and unit pages."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from trappa.accounts.models import Department, Role, Unit, User


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
    """A user's name, role, place in the organisation and OpenID Connect subject.

    Units and departments are limited to the administrator's municipality, and
    the department must belong to the chosen unit.
    """

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "role", "unit", "department", "oidc_subject"]
        labels = {"oidc_subject": _("HelseID / ID-porten subject")}
        help_texts = {
            "oidc_subject": _("The identifier the login provider sends for this person. Leave empty for none."),
        }
        error_messages = {"oidc_subject": {"unique": _("Another user already has this subject.")}}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["role"].required = True
        self.fields["role"].choices = [("", "---------"), *Role.choices]
        self.fields["unit"].queryset = Unit.objects.filter(municipality=municipality)
        self.fields["department"].queryset = Department.objects.filter(unit__municipality=municipality).select_related(
            "unit"
        )

    def clean_oidc_subject(self):
        # Empty means none: stored as NULL, so many users may have no subject.
        return (self.cleaned_data["oidc_subject"] or "").strip() or None

    def clean(self):
        cleaned = super().clean()
        unit, department = cleaned.get("unit"), cleaned.get("department")
        if department and department.unit_id != getattr(unit, "id", None):
            self.add_error("department", _("The department must belong to the chosen unit."))
        return cleaned


class NewUserForm(UserForm):
    """A new user: a username, and an initial password unless they log in only through OpenID Connect."""

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


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "code"]
        help_texts = {"code": _("A short name for addresses and files: lower-case letters, digits and hyphens.")}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality

    def clean_code(self):
        code = self.cleaned_data["code"]
        if Unit.objects.filter(municipality=self.instance.municipality, code=code).exists():
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
