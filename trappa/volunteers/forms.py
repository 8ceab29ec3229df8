from django import forms
from django.utils.translation import gettext_lazy as _

from trappa.accounts.models import User
from trappa.referrals.models import Group
from trappa.volunteers.models import Meeting, MeetingPoint, Partner, Volunteer, VolunteerHours, VolunteerRole

DATE = forms.DateInput(attrs={"type": "date"})


class VolunteerForm(forms.ModelForm):
    class Meta:
        model = Volunteer
        fields = [
            "name",
            "phone",
            "email",
            "role",
            "organisation",
            "training",
            "trained_on",
            "police_certificate_on",
            "police_certificate_renew_on",
            "supervisor",
            "availability",
        ]
        widgets = dict.fromkeys(("trained_on", "police_certificate_on", "police_certificate_renew_on"), DATE)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Partner.objects.filter(municipality=municipality)
        self.fields["supervisor"].queryset = User.objects.filter(municipality=municipality, is_active=True)

    def clean(self):
        data = super().clean()
        dated, renew = data.get("police_certificate_on"), data.get("police_certificate_renew_on")
        if dated and renew and renew <= dated:
            self.add_error("police_certificate_renew_on", _("The renewal comes after the certificate's date."))
        return data


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "contact", "agreement_signed_on", "agreement_until", "agreement_summary"]
        widgets = {"agreement_signed_on": DATE, "agreement_until": DATE}


class AssignmentForm(forms.Form):
    volunteer = forms.ModelChoiceField(queryset=Volunteer.objects.none(), label=_("Volunteer"))
    group = forms.ModelChoiceField(queryset=Group.objects.none(), label=_("Group"))
    starts_on = forms.DateField(label=_("From"), widget=DATE)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = Volunteer.objects.active().filter(municipality=municipality)
        self.fields["group"].queryset = Group.objects.filter(municipality=municipality).order_by("-starts_on", "name")


class MatchForm(forms.Form):
    volunteer = forms.ModelChoiceField(queryset=Volunteer.objects.none(), label=_("Visiting friend"))
    consent_on = forms.DateField(label=_("The person consented on"), widget=DATE)
    started_on = forms.DateField(label=_("Visits start on"), widget=DATE)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        friends = Volunteer.objects.active().filter(municipality=municipality, role=VolunteerRole.VISITING_FRIEND)
        self.fields["volunteer"].queryset = friends


class HoursForm(forms.ModelForm):
    class Meta:
        model = VolunteerHours
        fields = ["volunteer", "group", "on", "hours"]
        widgets = {"on": DATE}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = Volunteer.objects.active().filter(municipality=municipality)
        self.fields["volunteer"].label = _("Volunteer")
        self.fields["group"].queryset = Group.objects.filter(municipality=municipality).order_by("-starts_on", "name")
        self.fields["group"].label = _("Group (empty for a visit or the meeting point)")

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours is not None and (hours <= 0 or hours > 24):
            raise forms.ValidationError(_("Give the hours of one day: more than 0 and at most 24."))
        return hours


class MeetingPointForm(forms.ModelForm):
    class Meta:
        model = MeetingPoint
        fields = ["name", "place", "partner"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["partner"].queryset = Partner.objects.filter(municipality=municipality)

    def clean_name(self):
        name = self.cleaned_data["name"]
        if MeetingPoint.objects.filter(municipality=self.municipality, name=name).exists():
            raise forms.ValidationError(_("The municipality already has a meeting point of that name."))
        return name


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["meeting_point", "held_on", "caregivers", "hosts", "topic"]
        widgets = {"held_on": DATE, "hosts": forms.CheckboxSelectMultiple}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting_point"].queryset = MeetingPoint.objects.filter(municipality=municipality)
        self.fields["meeting_point"].label = _("Meeting point")
        self.fields["hosts"].queryset = Volunteer.objects.active().filter(municipality=municipality)
