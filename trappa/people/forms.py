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
    # What the command line offers (docs/register-format.md, "Files never go backwards").
    extracted_on = forms.DateField(
        label=_("Extracted on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("When the register extracted the file, if its name carries no date."),
    )
    allow_older = forms.BooleanField(
        label=_(
            "Import a file extracted before the last one imported, on purpose: it changes data back to "
            "older values (without this, such a file is refused with a list of each change back)"
        ),
        required=False,
    )
    correct_deaths = forms.CharField(
        label=_("Correct deaths: the reason (optional)"),
        max_length=300,
        required=False,
        help_text=_(
            "Only when the file undoes a recorded death on purpose, for example because the register corrected "
            "a wrongly registered death. Without a reason such a file is refused."
        ),
    )

    def clean_correct_deaths(self):
        return " ".join(self.cleaned_data["correct_deaths"].split())


class FileImportForm(forms.Form):
    """The upload form of the imports other than the register's own files (welfare technology, medicine lists)."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 or Windows-1252, comma or semicolon separated, in the documented register format."),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and show what would change, without writing anything"), required=False
    )
    allow_older = forms.BooleanField(
        label=_(
            "Import a file extracted before the last one imported, on purpose: it changes data back to "
            "older values (without this, such a file is refused with a list of each change back)"
        ),
        required=False,
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
