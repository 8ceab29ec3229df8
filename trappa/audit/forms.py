import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from trappa.audit.access import EMERGENCY_REASON_MIN_WORDS, is_a_sentence
from trappa.audit.models import EmergencyCategory


class EmergencyAccessForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Why"),
        choices=[("", "---------"), *EmergencyCategory.choices],
        error_messages={"required": _("Choose why you need emergency access.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_(
            "Why you need this person's data now, in at least a sentence. Your unit leader reviews every "
            "emergency access, and the person can see it."
        ),
        error_messages={"required": _("Give the reason for the emergency access.")},
    )

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not is_a_sentence(reason):
            raise forms.ValidationError(
                ngettext_lazy(
                    "Describe the reason in a sentence of at least %(count)d words.",
                    "Describe the reason in a sentence of at least %(count)d words.",
                    "count",
                ),
                params={"count": EMERGENCY_REASON_MIN_WORDS},
            )
        return reason


class PeriodForm(forms.Form):
    """A period of whole days, both ends included; defaults to the last `days` days."""

    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, days):
        super().__init__(data)
        self.days = days

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The period must start before it ends."))
        return cleaned

    def period(self):
        """(first day, last day) of the period, valid input or not."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - datetime.timedelta(days=self.days - 1)
        return start, end
