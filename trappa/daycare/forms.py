from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappa.catalogue.models import Location, Offering
from trappa.daycare.models import WEEKDAY_CHOICES, Kind, TimeOfDay

MAX_PLACES = 200


class PlaceForm(forms.Form):
    offering = forms.ModelChoiceField(label=_("Offering"), queryset=Offering.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of place"), choices=Kind.choices)
    time_of_day = forms.ChoiceField(label=_("Time of day"), choices=TimeOfDay.choices)
    weekdays = forms.MultipleChoiceField(
        label=_("Weekdays"), choices=WEEKDAY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    holidays = forms.BooleanField(label=_("Open on public holidays"), required=False)
    capacity = forms.IntegerField(label=_("Places"), min_value=0, max_value=MAX_PLACES)
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    location = forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.none(), required=False)

    def __init__(self, municipality, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Day care is given by decision: the offerings a citizen gets by decision, e.g. "Dagtilbud for eldre".
        offerings = Offering.objects.filter(municipality=municipality, access="decision").order_by("name_nb")
        self.fields["offering"].queryset = offerings
        self.fields["location"].queryset = Location.objects.filter(municipality=municipality)
        self.fields["starts_on"].initial = timezone.localdate()


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Places"), min_value=0, max_value=MAX_PLACES)


class ScenarioForm(forms.Form):
    # Seed 002 §11: more day places in dementia care, for somatic patients and in Miljøterapitjenesten.
    extra_dementia = forms.IntegerField(label=_("Extra dementia places"), min_value=0, max_value=100, required=False)
    extra_somatic = forms.IntegerField(label=_("Extra somatic places"), min_value=0, max_value=100, required=False)
    extra_environmental_therapy = forms.IntegerField(
        label=_("Extra places in Miljøterapitjenesten"), min_value=0, max_value=100, required=False
    )

    def extra(self):
        if not self.is_valid():
            return {}
        return {kind: self.cleaned_data[f"extra_{kind}"] or 0 for kind in Kind.values}


class DaysForm(forms.Form):
    """The weekdays a person comes to a place they hold part of the week: some of the place's open days."""

    enrollment = forms.IntegerField(widget=forms.HiddenInput)
    weekdays = forms.MultipleChoiceField(
        label=_("Weekdays"), choices=WEEKDAY_CHOICES, widget=forms.CheckboxSelectMultiple
    )


class GiveForm(forms.Form):
    """A place given to a person on some of its weekdays, shared with those who come on the others."""

    place = forms.IntegerField(widget=forms.HiddenInput)
    weekdays = forms.MultipleChoiceField(
        label=_("Weekdays"), choices=WEEKDAY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
