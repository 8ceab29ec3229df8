from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from trappa.accounts.models import PERSONAL_DATA_ROLES, Department, User
from trappa.assessments.instruments import AnswerErrors, get
from trappa.caregivers.models import (
    AdvanceCareNote,
    Agreement,
    CaregiverLink,
    ConsentTopic,
    InformationEntry,
)
from trappa.caregivers.services import STRAIN_INSTRUMENT, score_strain
from trappa.people.models import RelationKind

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class LinkForm(forms.ModelForm):
    class Meta:
        model = CaregiverLink
        fields = ["relation", "relationship", "hours_per_week", "other_duties", "work_or_study"]

    def __init__(self, *args, recipient, **kwargs):
        super().__init__(*args, **kwargs)
        # the recipient's registered caregivers not yet linked
        relations = recipient.relations_to.filter(kind=RelationKind.CAREGIVER, caregiver_link__isnull=True)
        self.fields["relation"].queryset = relations.select_related("from_person")
        self.fields["relation"].label_from_instance = lambda relation: relation.from_person.full_name
        self.fields["relation"].label = _("caregiver")


class MappingForm(forms.Form):
    situation = forms.CharField(label=_("Situation"), widget=forms.Textarea(attrs={"rows": 3}))
    needs = forms.CharField(label=_("Needs"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    what_matters = forms.CharField(
        label=_("What matters to you?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = get(STRAIN_INSTRUMENT)
        language = translation.get_language()
        for item in self.instrument.items:
            self.fields[f"strain_{item.id}"] = forms.ChoiceField(
                label=item.label.get(language), choices=YES_NO, widget=forms.RadioSelect
            )

    def strain_fields(self):
        return [self[name] for name in self.fields if name.startswith("strain_")]

    def clean(self):
        data = super().clean()
        answers = {
            item.id: data.get(f"strain_{item.id}") == "yes"
            for item in self.instrument.items
            if data.get(f"strain_{item.id}")
        }
        if len(answers) == len(self.instrument.items):
            try:
                self.strain = score_strain(answers)
            except AnswerErrors as error:
                raise forms.ValidationError(
                    [p.text(translation.gettext, translation.get_language()) for p in error.problems]
                ) from error
        return data


class ConsentForm(forms.Form):
    topics = forms.MultipleChoiceField(
        label=_("The care recipient agrees to share with this caregiver"),
        choices=ConsentTopic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class InformationForm(forms.ModelForm):
    class Meta:
        model = InformationEntry
        fields = ["direction", "summary", "at"]
        widgets = {"at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["caregiver_does", "service_does", "review_date"]
        widgets = {"review_date": forms.DateInput(attrs={"type": "date"})}


class NoteForm(forms.ModelForm):
    class Meta:
        model = AdvanceCareNote
        fields = ["note", "at"]
        widgets = {"at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}


class ContactForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    user = forms.ModelChoiceField(label=_("Caregiver contact"), queryset=User.objects.none())

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(unit__municipality=municipality)
        self.fields["user"].queryset = User.objects.filter(
            municipality=municipality, is_active=True, role__in=PERSONAL_DATA_ROLES
        ).order_by("last_name")
        self.fields["user"].label_from_instance = lambda user: user.get_full_name() or user.username
