from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappa.accounts.models import Unit, User
from trappa.catalogue.models import Location, Offering
from trappa.people.models import ServiceKind
from trappa.referrals.models import Group, Moment, Pathway, Source, Status


class ReferralForm(forms.Form):
    source = forms.ChoiceField(label=_("Referred by"), choices=Source.choices)
    pathway = forms.ChoiceField(label=_("Pathway"), choices=Pathway.choices)
    offering = forms.ModelChoiceField(label=_("Offering"), queryset=Offering.objects.none(), required=False)
    service = forms.ChoiceField(label=_("or a service"), choices=[("", "–"), *ServiceKind.choices], required=False)
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Leave empty to use the offering's unit."),
    )
    reason = forms.CharField(label=_("Reason for the referral"), widget=forms.Textarea(attrs={"rows": 3}))
    goals = forms.CharField(
        label=_("What is important to you now?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, municipality, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = Offering.objects.filter(municipality=municipality).order_by("name_nb")
        self.fields["unit"].queryset = Unit.objects.filter(municipality=municipality)

    def clean(self):
        data = super().clean()
        if not data.get("offering") and not data.get("service"):
            raise forms.ValidationError(_("Refer to an offering or a service."))
        if not data.get("unit") and not (data.get("offering") and data["offering"].unit_id):
            raise forms.ValidationError(_("Choose the unit responsible for the referral."))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("Reason"), max_length=300, required=False, help_text=_("Required when not relevant or dropped out.")
    )
    visits = forms.IntegerField(label=_("Visits so far"), min_value=0, max_value=1000, required=False)

    def __init__(self, referral, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s.value, s.label) for s in referral.allowed_next()]
        self.fields["on"].initial = timezone.localdate()
        self.fields["visits"].initial = referral.visits


class MeasurementForm(forms.Form):
    moment = forms.ChoiceField(label=_("When"), choices=Moment.choices)
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    not_tested_reason = forms.CharField(
        label=_("Not tested because"),
        max_length=300,
        required=False,
        help_text=_("Fill in only when the person could not do the test."),
    )


class GroupForm(forms.ModelForm):
    first_session = forms.DateTimeField(
        label=_("First session"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    sessions = forms.IntegerField(label=_("Number of weekly sessions"), min_value=1, max_value=52, initial=10)

    class Meta:
        model = Group
        fields = [
            "offering",
            "name",
            "location",
            "leader",
            "volunteer_leader",
            "capacity",
            "fee",
            "starts_on",
            "ends_on",
            "requires_pre_course_conversation",
            "offer_answer_days",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, municipality, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = Offering.objects.filter(municipality=municipality).order_by("name_nb")
        self.fields["location"].queryset = Location.objects.filter(municipality=municipality)
        self.fields["leader"].queryset = User.objects.filter(municipality=municipality, is_active=True)
        self.fields["capacity"].min_value = 1
        self.instance.municipality = municipality

    def clean(self):
        data = super().clean()
        if not data.get("leader") and not data.get("volunteer_leader"):
            raise forms.ValidationError(_("Name the leader: a member of staff or a volunteer instructor."))
        if data.get("capacity") is not None and data["capacity"] < 1:
            self.add_error("capacity", _("A group needs at least one seat."))
        return data
