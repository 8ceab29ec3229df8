from django import forms
from django.utils.translation import gettext_lazy as _

from trappa.people.models import ImportKind


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 or Windows-1252, comma or semicolon separated, in the documented register format."),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and show what would change, without writing anything"), required=False
    )


class ContactCorrectionForm(forms.Form):
    """Staff correct the phone or e-mail the register has, saying why (kept in the history)."""

    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    reason = forms.CharField(
        label=_("Why you correct it"),
        max_length=300,
        help_text=_("For example: the person gave a new number on the phone. Shown in the change history."),
    )

    def clean(self):
        cleaned = super().clean()
        if self.initial and all(cleaned.get(name, "") == self.initial.get(name, "") for name in ("phone", "email")):
            raise forms.ValidationError(_("Nothing is changed: the phone and e-mail are as before."))
        return cleaned
