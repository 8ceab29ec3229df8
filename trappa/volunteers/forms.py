from django import forms
from django.utils.translation import gettext_lazy as _

from trappa.accounts.models import User
from trappa.volunteers.models import Partner, Volunteer

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
