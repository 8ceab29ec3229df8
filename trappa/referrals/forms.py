from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappa.accounts.models import Unit, User
from trappa.catalogue.models import Location, Offering
from trappa.people.models import ServiceKind
from trappa.referrals.mapping import FIELDS as MAPPING_FIELDS
from trappa.referrals.models import (
    OWN_SERVICE_PATHWAYS,
    PATHWAY_DETAILS,
    PHYSIOTHERAPY_MINUTES_PER_DAY,
    FirstContactMapping,
    Group,
    Moment,
    Pathway,
    Source,
    Status,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PathwayDetailsMixin(forms.Form):
    """The fields a pathway records besides the referral: see Referral."""

    discharged_on = forms.DateField(
        label=_("Discharged on"),
        required=False,
        widget=DATE,
        help_text=_("Intervention team: the day the person came home from the hospital or the short-term stay."),
    )
    planned_from = forms.DateField(label=_("Planned from"), required=False, widget=DATE)
    planned_until = forms.DateField(
        label=_("Planned until"),
        required=False,
        widget=DATE,
        help_text=_(
            "The planned period: of the rehabilitation stay's plan, of day rehabilitation, or of the "
            "intervention team's follow-up at home."
        ),
    )
    ward = forms.CharField(label=_("Ward"), max_length=100, required=False, help_text=_("Rehabilitation stay."))
    aids_assessed_on = forms.DateField(
        label=_("Assistive devices and adaptation of the home assessed on"),
        required=False,
        widget=DATE,
        help_text=_("Rehabilitation stay: the occupational therapist's assessment."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_from"), data.get("planned_until")
        if start and end and end < start:
            self.add_error("planned_until", _("The planned period ends before it starts."))
        return data


class ReferralForm(PathwayDetailsMixin, forms.Form):
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
    field_order = ["source", "pathway", "offering", "service", "unit", "reason", "goals"]

    def __init__(self, municipality, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = Offering.objects.filter(municipality=municipality).order_by("name_nb")
        self.fields["unit"].queryset = Unit.objects.filter(municipality=municipality)

    def clean(self):
        data = super().clean()
        own = data.get("pathway") in OWN_SERVICE_PATHWAYS
        if not data.get("offering") and not data.get("service") and not own:
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


class PathwayDetailsForm(PathwayDetailsMixin, forms.Form):
    goals = forms.CharField(
        label=_("What is important to you now?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("The goals of the plan, in the person's words."),
    )

    def __init__(self, referral, *args, **kwargs):
        initial = {name: getattr(referral, name) for name in ("goals", *PATHWAY_DETAILS)}
        super().__init__(*args, initial=initial, **kwargs)


class PhysiotherapyForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=600, initial=PHYSIOTHERAPY_MINUTES_PER_DAY)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class MappingForm(forms.ModelForm):
    class Meta:
        model = FirstContactMapping
        fields = list(MAPPING_FIELDS)
        widgets = {
            "mapped_on": DATE,
            "what_matters": forms.Textarea(attrs={"rows": 3}),
            "challenges": forms.Textarea(attrs={"rows": 3}),
            "resources": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "resources": _("What the person can do, wants and sets as goals."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mapped_on"].initial = timezone.localdate()
        self.fields["source"].initial = Source.HOME_SERVICES
        for name in ("can_train", "medical_conditions", "surroundings", "welfare_technology"):
            self.fields[name].widget = forms.RadioSelect(choices=self.fields[name].choices)

    def clean_mapped_on(self):
        on = self.cleaned_data["mapped_on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return on


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
