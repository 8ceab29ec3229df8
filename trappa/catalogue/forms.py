"""Staff forms for the catalogue. Every form belongs to one municipality: choices
(steps, locations, units) are limited to it, and codes are unique within it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from trappa.accounts.models import Unit
from trappa.catalogue import eligibility
from trappa.catalogue.models import (
    CaregiverInfo,
    Location,
    Measure,
    MeasureYear,
    Offering,
    Step,
    TargetGroup,
    Theme,
    YearlyCost,
)


class OfferingForm(forms.ModelForm):
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"), choices=TargetGroup.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"), choices=Theme.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    eligibility = forms.JSONField(
        label=_("Eligibility rules"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("A list of rules as JSON; each needs a kind and an explanation in nb, nn and en."),
    )

    class Meta:
        model = Offering
        fields = [
            "code",
            "step",
            "published",
            "name_nb",
            "name_nn",
            "name_en",
            "summary_nb",
            "summary_nn",
            "summary_en",
            "description_nb",
            "description_nn",
            "description_en",
            "prevention_level",
            "target_groups",
            "themes",
            "access",
            "eligibility",
            "provider_kind",
            "provider_name",
            "unit",
            "locations",
            "schedule_nb",
            "schedule_nn",
            "schedule_en",
            "capacity_per_group",
            "number_of_groups",
            "fee",
            "fee_note_nb",
            "fee_note_nn",
            "fee_note_en",
            "sign_up_nb",
            "sign_up_nn",
            "sign_up_en",
            "contact_name",
            "contact_phone",
            "contact_email",
            "responsible",
            "period_start",
            "period_end",
            "status",
            "evaluation_year",
            "source",
        ]
        widgets = {"locations": forms.CheckboxSelectMultiple}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.instance.municipality = municipality
        self.fields["step"].queryset = Step.objects.filter(municipality=municipality)
        self.fields["locations"].queryset = municipality.locations.all()
        self.fields["unit"].queryset = Unit.objects.filter(municipality=municipality)
        if self.instance.pk:
            # The code is in public URLs and data files: it stays once set.
            self.fields["code"].disabled = True

    def clean_code(self):
        code = self.cleaned_data["code"]
        taken = Offering.objects.filter(municipality=self.municipality, code=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another offering already has this code."))
        return code

    def clean_eligibility(self):
        rules = self.cleaned_data["eligibility"] or []
        try:
            return eligibility.validate(rules)
        except eligibility.RuleError as exc:
            raise forms.ValidationError(str(exc)) from None


class YearlyCostForm(forms.ModelForm):
    class Meta:
        model = YearlyCost
        fields = ["year", "staffing_percent", "wage_cost", "running_cost", "one_off_cost", "one_off_note", "funding"]


YearlyCostFormSet = forms.inlineformset_factory(Offering, YearlyCost, form=YearlyCostForm, extra=1, can_delete=True)


class StepForm(forms.ModelForm):
    class Meta:
        model = Step
        fields = ["position", "name_nb", "name_nn", "name_en", "description_nb", "description_nn", "description_en"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.instance.municipality = municipality

    def clean_position(self):
        position = self.cleaned_data["position"]
        taken = Step.objects.filter(municipality=self.municipality, position=position).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another step already has this position."))
        return position


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = [
            "code",
            "position",
            "title_nb",
            "title_nn",
            "title_en",
            "focus_area",
            "responsible",
            "period_start",
            "period_end",
            "funding",
            "funding_note",
            "status",
            "evaluation_year",
            "step",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.instance.revision.plan
        self.fields["focus_area"].queryset = plan.focus_areas.all()
        self.fields["step"].queryset = Step.objects.filter(municipality=plan.municipality)
        if self.instance.pk:
            self.fields["code"].disabled = True

    def clean_code(self):
        code = self.cleaned_data["code"]
        taken = Measure.objects.filter(revision=self.instance.revision, code=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another measure in this revision already has this code."))
        return code


class MeasureYearForm(forms.ModelForm):
    class Meta:
        model = MeasureYear
        fields = ["year", "staffing_percent", "cost"]


MeasureYearFormSet = forms.inlineformset_factory(Measure, MeasureYear, form=MeasureYearForm, extra=1, can_delete=True)


class CaregiverInfoForm(forms.ModelForm):
    class Meta:
        model = CaregiverInfo
        fields = [
            "introduction_nb",
            "introduction_nn",
            "introduction_en",
            "rights_nb",
            "rights_nn",
            "rights_en",
            "coordinator_title_nb",
            "coordinator_title_nn",
            "coordinator_title_en",
            "coordinator_phone",
            "coordinator_email",
            "coordinator_note_nb",
            "coordinator_note_nn",
            "coordinator_note_en",
        ]
        help_texts = {"rights_nb": _("One right per line.")}


class LocationForm(forms.ModelForm):
    class Meta:
        model = Location
        fields = ["code", "name", "address", "outside_centre", "at_home"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.instance.municipality = municipality
        if self.instance.pk:
            self.fields["code"].disabled = True

    def clean_code(self):
        code = self.cleaned_data["code"]
        taken = Location.objects.filter(municipality=self.municipality, code=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another location already has this code."))
        return code
