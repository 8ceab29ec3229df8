import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappa.assessments.models import HomeVisit, Topic


class VisitForm(forms.ModelForm):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    topics = forms.MultipleChoiceField(
        label=_("Topics talked about"), choices=Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = HomeVisit
        fields = [
            "visited_on",
            "what_matters",
            "resources",
            "goals",
            "prevention",
            "topics",
            "advice",
            "function",
            "walks_indoors_without_aids",
            "feels_unsteady",
            "consent_follow_up",
            "consent_share_with_gp",
            "consent_involve_caregiver",
        ]
        widgets = {
            "visited_on": forms.DateInput(attrs={"type": "date"}),
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in ("what_matters", "resources", "goals", "prevention", "advice", "function")
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # Made when the form is first shown: a retry of the same form carries the same key.
            self.initial.setdefault("idempotency_key", uuid.uuid4())
            self.initial.setdefault("visited_on", timezone.localdate())

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A visit cannot be recorded before it has happened."))
        return day
