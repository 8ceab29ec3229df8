import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappa.outreach.models import Channel, Outcome


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label=_("How"), choices=Channel.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    # The browser's date picker shows the format; a "YYYY-MM-DD" hint beside it only confuses.
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    remind_on = forms.DateField(
        label=_("Remind me on"),
        required=False,
        help_text=_("For example to phone after a letter."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    do_not_contact = forms.BooleanField(label=_("The person asked not to be contacted again"), required=False)

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("A contact cannot be in the future."))
        return on

    def clean(self):
        data = super().clean()
        if data.get("remind_on") and data.get("on") and data["remind_on"] <= data["on"]:
            self.add_error("remind_on", _("The reminder must come after the contact."))
        return data

    def contact_time(self):
        """Now for a contact today; noon for an earlier day (the hour was not recorded)."""
        on = self.cleaned_data["on"]
        if on == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))


class WorklistFilterForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), required=False)
    reason = forms.ChoiceField(label=_("Reason"), required=False)
    assigned = forms.ChoiceField(
        label=_("Assigned"),
        required=False,
        choices=[("", _("Everyone")), ("mine", _("Assigned to me")), ("nobody", _("Not assigned"))],
    )

    due = forms.BooleanField(label=_("Only those with a reminder due"), required=False)

    def __init__(self, data, areas, reasons):
        super().__init__(data)
        self.fields["area"].choices = [("", _("All areas"))] + [(a, a) for a in areas]
        self.fields["reason"].choices = [("", _("All reasons"))] + list(reasons.items())


class AssignForm(forms.Form):
    nurse = forms.ModelChoiceField(label=_("Nurse"), queryset=None, required=False, empty_label=_("Nobody"))

    def __init__(self, data=None, nurses=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["nurse"].queryset = nurses
        self.fields["nurse"].label_from_instance = lambda u: u.get_full_name() or u.username
