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
