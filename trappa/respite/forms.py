from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from trappa.people.models import ServiceKind
from trappa.respite import services
from trappa.respite.models import Bed, BookingKind, RespiteBooking, RespiteDecision, RespiteUnit

MAX_WEEKS = 12  # patterns run from 2/2 to 6/1; twelve leaves room without allowing nonsense


class DecisionForm(forms.ModelForm):
    class Meta:
        model = RespiteDecision
        fields = ["service_decision", "group", "home_weeks", "stay_weeks", "first_stay", "valid_from", "valid_until"]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}) for name in ("first_stay", "valid_from", "valid_until")
        }

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        # only the person's own rotation-stay decisions from the register
        self.fields["service_decision"].queryset = person.decisions.filter(service=ServiceKind.ROTATION_STAY)
        self.fields["valid_until"].required = False
        self.fields["valid_until"].help_text = _("Leave empty for six months.")

    def clean(self):
        data = super().clean()
        home, stay = data.get("home_weeks"), data.get("stay_weeks")
        if stay is not None and not 1 <= stay <= MAX_WEEKS:
            self.add_error("stay_weeks", _("Weeks in must be between 1 and 12."))
        if home is not None and home > MAX_WEEKS:
            self.add_error("home_weeks", _("Weeks at home must be at most 12."))
        first, start = data.get("first_stay"), data.get("valid_from")
        if first and first.weekday() != 0:
            self.add_error("first_stay", _("Stays start on a Monday."))
        if start and not data.get("valid_until"):
            data["valid_until"] = RespiteDecision.default_until(start)
        if start and data.get("valid_until") and data["valid_until"] <= start:
            self.add_error("valid_until", _("The decision must end after it starts."))
        if first and start and first < start:
            self.add_error("first_stay", _("The first stay cannot start before the decision is valid."))
        if start and data.get("valid_until") and self._overlapping(start, data["valid_until"]):
            # one person, one pattern at a time: two would promise two beds in the same week
            self.add_error("valid_from", _("The person already has a rotation-stay decision valid in this period."))
        return data

    def _overlapping(self, start, until):
        others = RespiteDecision.objects.filter(person=self.person, valid_from__lte=until, valid_until__gte=start)
        return others.exclude(pk=self.instance.pk).exists()


class BookingForm(forms.ModelForm):
    class Meta:
        model = RespiteBooking
        fields = ["kind", "unit", "starts_at", "ends_at", "note"]
        widgets = {
            name: forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
            for name in ("starts_at", "ends_at")
        }

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["unit"].queryset = RespiteUnit.objects.filter(municipality=person.municipality)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        kind, unit = data.get("kind"), data.get("unit")
        if kind == BookingKind.AT_HOME and unit:
            self.add_error("unit", _("Respite at home is given in the person's home, not in a unit."))
        if kind and kind != BookingKind.AT_HOME and not unit:
            self.add_error("unit", _("Choose the unit."))
        if starts and ends:
            if ends <= starts:
                raise ValidationError(_("The booking must end after it starts."))
            overlapping = RespiteBooking.objects.filter(person=self.person, starts_at__lt=ends, ends_at__gt=starts)
            if overlapping.exists():
                raise ValidationError(_("The person already has a booking at that time."))
        return data


class CapacityForm(forms.Form):
    start = forms.DateField(label=_("First week (a Monday)"), widget=forms.DateInput(attrs={"type": "date"}))
    weeks = forms.IntegerField(label=_("Weeks"), min_value=1, max_value=104, initial=26)
    # The planned rotation ward has at least ten places (seed 002 §11).
    extra_somatic = forms.IntegerField(label=_("Extra somatic places"), min_value=0, max_value=100, required=False)
    extra_dementia = forms.IntegerField(label=_("Extra dementia places"), min_value=0, max_value=100, required=False)

    def clean_start(self):
        start = self.cleaned_data["start"]
        if start.weekday() != 0:
            raise ValidationError(_("Stays start on a Monday."))
        return start


class MoveForm(forms.Form):
    """Move a planned stay to a bed free for all its weeks, often on another ward."""

    bed = forms.ModelChoiceField(label=_("Move to"), queryset=Bed.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, stay, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bed"].queryset = services.free_beds(stay)
        self.fields["bed"].label_from_instance = lambda bed: f"{bed} ({bed.get_group_display()})"
