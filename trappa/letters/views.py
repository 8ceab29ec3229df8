"""The municipality's letter texts (versioned, with a preview), its privacy settings, and the letters a person got."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from trappa.accounts.routes import staff_required
from trappa.audit.routes import person_view
from trappa.letters import documents, wording
from trappa.letters.forms import LetterSettingsForm, WordingForm
from trappa.letters.kinds import KINDS, PRIVACY, kind_of
from trappa.letters.models import Language, LetterSettings, SentLetter, Wording
from trappa.letters.roles import LETTER_EDITORS
from trappa.letters.samples import sample_letter
from trappa.people.access import get_person_for_user


def _municipality(request):
    if request.user.municipality is None:
        raise Http404
    return request.user.municipality


@staff_required(*LETTER_EDITORS)
def index(request):
    """Every letter the municipality prints, in each language: its current version, edit and preview."""
    municipality = _municipality(request)
    saved = {
        (w.name, w.language): w.version
        for w in Wording.objects.filter(municipality=municipality).order_by("name", "language", "version")
    }
    rows = [
        {
            "kind": kind_of(name),
            "languages": [(language, label, saved.get((name, language), 0)) for language, label in Language.choices],
        }
        for name in [*_names(municipality), PRIVACY.name]
    ]
    return render(request, "letters/index.html", {"rows": rows, "municipality": municipality})


def _names(municipality):
    names = [name for name in wording.names(municipality.slug) if name != PRIVACY.name]
    return [name for name in KINDS if name in names] + [name for name in names if name not in KINDS]


def _letter_name(request, name, language):
    municipality = _municipality(request)
    if language not in Language.values or name not in [*_names(municipality), PRIVACY.name]:
        raise Http404
    return municipality


@staff_required(*LETTER_EDITORS)
def edit(request, name, language):
    """Edit a text: saving adds a new version (the old ones stay, sent letters name theirs)."""
    municipality = _letter_name(request, name, language)
    current = wording.current(municipality, name, language)
    form = WordingForm(request.POST or None, initial={"text": current.text}, allowed=kind_of(name).allowed)
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            return _preview_response(
                request, name, wording.Text(name, language, current.version, form.cleaned_data["text"])
            )
        _save(request, municipality, name, language, form.cleaned_data["text"])
        messages.success(request, _("The text is saved as a new version."))
        return redirect("letters:edit", name=name, language=language)
    context = {
        "form": form,
        "kind": kind_of(name),
        "language": language,
        "current": current,
        "versions": Wording.objects.filter(municipality=municipality, name=name, language=language),
        "placeholders": kind_of(name).allowed,
    }
    return render(request, "letters/edit.html", context)


@transaction.atomic
def _save(request, municipality, name, language, text):
    latest = Wording.objects.select_for_update().filter(municipality=municipality, name=name, language=language)
    version = (latest.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    Wording.objects.create(
        municipality=municipality, name=name, language=language, version=version, text=text, created_by=request.user
    )


@staff_required(*LETTER_EDITORS)
def preview(request, name, language):
    """The current text as a PDF, to a made-up person (no one's personal data)."""
    municipality = _letter_name(request, name, language)
    return _preview_response(request, name, wording.current(municipality, name, language))


def _preview_response(request, name, text):
    today = timezone.localdate()
    try:
        if name == PRIVACY.name:
            letter = sample_letter("home_visit", request.user.unit, today, text.language)
            rendered = documents.render(letter, today, privacy_text=text)
        else:
            letter = sample_letter(name, request.user.unit, today, text.language)
            rendered = documents.render(letter, today, text=text)
    except documents.LetterRefused as refused:
        messages.error(request, str(refused))
        return redirect("letters:index")
    response = HttpResponse(
        documents.to_pdf([rendered], rendered.title, rendered.language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="preview-{name}-{text.language}.pdf"'
    return response


@staff_required(*LETTER_EDITORS)
def settings_edit(request):
    """What every letter says about the legal basis, how long data is kept, the data protection officer."""
    instance = LetterSettings.for_municipality(_municipality(request))
    form = LetterSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The letter settings are saved."))
        return redirect("letters:index")
    return render(request, "letters/settings.html", {"form": form})


@person_view()
def person_letters(request, person_id):
    """What the person has been sent: which letter, in which language and text version, when, by whom."""
    person = get_person_for_user(request, person_id, "letters sent")
    letters = SentLetter.objects.filter(person=person).select_related("unit", "sent_by")
    rows = [{"sent": sent, "kind": kind_of(sent.name)} for sent in letters]
    return render(request, "letters/person.html", {"person": person, "rows": rows})
