from django import forms
from django.utils.translation import gettext_lazy as _

from trappa.letters import wording
from trappa.letters.models import LetterSettings


class WordingForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_(
            "The first paragraph is the heading. Leave an empty line between paragraphs. Short sentences, "
            "and write to the reader as “du”."
        ),
    )

    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def clean_text(self):
        text = self.cleaned_data["text"].replace("\r\n", "\n").strip()
        try:
            wording.check(text, self.allowed)
        except wording.WordingError as error:
            raise forms.ValidationError(str(error)) from error
        return text


class LetterSettingsForm(forms.ModelForm):
    class Meta:
        model = LetterSettings
        fields = [
            *(f"{field}_{lang}" for field in ("legal_basis", "retention") for lang in ("nb", "nn", "en")),
            "dpo_name",
            "dpo_email",
            "dpo_phone",
            "answer_days",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in [f"{field}_{lang}" for field in ("legal_basis", "retention") for lang in ("nb", "nn", "en")]
        }
