"""Caregiver pages: the recipient's caregivers, one caregiver's follow-up, what may be shared, the worklist."""

from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trappa.accounts.models import Department, Role, User
from trappa.accounts.routes import staff_required
from trappa.audit.access import log_persons_listed, log_unnamed_mentions, show_mentioned_persons
from trappa.audit.models import AccessAction
from trappa.audit.routes import person_view
from trappa.caregivers import services
from trappa.caregivers.access import get_agreement_for_user, get_link_for_user, log_link
from trappa.caregivers.forms import (
    AgreementForm,
    ConsentForm,
    ContactForm,
    InformationForm,
    LinkForm,
    MappingForm,
    NoteForm,
)
from trappa.caregivers.models import CaregiverContact, CaregiverLink, ConsentTopic, consented_topics
from trappa.caregivers.roles import CAREGIVER_ROLES, CONTACT_EDITORS
from trappa.letters.documents import Letter, LetterRefused, print_letters
from trappa.people.access import get_person_for_user, visible_persons
from trappa.respite.letters import stays_letter_response
from trappa.respite.services import planned_stays


@person_view(*CAREGIVER_ROLES)
def recipient(request, person_id):
    person = get_person_for_user(request, person_id, "caregivers of the person")
    form = LinkForm(request.POST or None, recipient=person)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():  # the link and its log entry, or neither
            link = services.create_link(form.cleaned_data.pop("relation"), request.user, **form.cleaned_data)
            log_link(request, link, "caregiver link", AccessAction.CREATE)
        return redirect("caregivers:link", link_id=link.pk)
    links = list(person.cared_for_by.select_related("caregiver", "relation"))
    offered = list(form.fields["relation"].queryset)
    # A caregiver is named only to a user who may see them too (logged); the others are mentioned
    # without a name (logged as such): following one up is what gives the user's unit access.
    mentioned = [link.caregiver for link in links] + [r.from_person for r in offered]
    named = show_mentioned_persons(request, mentioned, f"caregiver of person {person.pk}")
    log_unnamed_mentions(request, person, [p for p in mentioned if p.pk not in named], "caregiver")
    form.fields["relation"].label_from_instance = lambda relation: _relation_label(relation, named)
    context = {
        "person": person,
        "links": [link for link in links if link.caregiver_id in named],
        "hidden_links": sum(link.caregiver_id not in named for link in links),
        "form": form,
    }
    return render(request, "caregivers/recipient.html", context)


def _relation_label(relation, named):
    if relation.from_person_id in named:
        return relation.from_person.full_name
    if relation.nearest_relative:
        return _("A registered caregiver, the nearest relative (named once you follow them up)")
    return _("A registered caregiver (named once you follow them up)")


@person_view(*CAREGIVER_ROLES)
def link(request, link_id):
    link = get_link_for_user(request, link_id, "caregiver follow-up")
    return render(request, "caregivers/link.html", _link_context(link))


def _link_context(link, **forms):
    return {
        "link": link,
        "child": link.is_child(),
        "topics": consented_topics(link),
        "mappings": link.mappings.select_related("done_by"),
        "prompts": link.prompts.all(),
        "information": link.information.select_related("by"),
        "agreements": link.agreements.all(),
        "notes": link.advance_care_notes.select_related("by"),
        "mapping_form": forms.get("mapping_form") or MappingForm(),
        "consent_form": forms.get("consent_form") or ConsentForm(initial={"topics": consented_topics(link)}),
        "information_form": forms.get("information_form") or InformationForm(initial={"at": timezone.now()}),
        "agreement_form": forms.get("agreement_form") or AgreementForm(),
        "note_form": forms.get("note_form") or NoteForm(initial={"at": timezone.now()}),
    }


@require_POST
@person_view(*CAREGIVER_ROLES)
def add_mapping(request, link_id):
    link = get_link_for_user(request, link_id, "caregiver mapping form")
    form = MappingForm(request.POST)
    if not form.is_valid():
        return _render_link(request, link, mapping_form=form)
    with _logged(request, link, "caregiver mapping"):
        services.record_mapping(
            link, request.user, form.strain, **{k: form.cleaned_data[k] for k in ("situation", "needs", "what_matters")}
        )
    messages.success(request, _("The mapping is saved."))
    return redirect("caregivers:link", link_id=link.pk)


@require_POST
@person_view(*CAREGIVER_ROLES)
def set_consent(request, link_id):
    link = get_link_for_user(request, link_id, "caregiver consent form")
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return _render_link(request, link, consent_form=form)
    with _logged(request, link, "caregiver consent", AccessAction.CHANGE):
        services.set_consents(link, request.user, set(form.cleaned_data["topics"]))
    messages.success(request, _("The consent is saved."))
    return redirect("caregivers:link", link_id=link.pk)


def _render_link(request, link, **forms):
    """The follow-up page again, with the forms that did not validate."""
    return render(request, "caregivers/link.html", _link_context(link, **forms))


@contextmanager
def _logged(request, link, what, action=AccessAction.CREATE):
    """What the block writes on the link is stored with its access-log entries for both persons, or not
    at all."""
    with transaction.atomic():
        yield
        log_link(request, link, what, action)


def _save_authored(request, form, link, what):
    """Save an entry that hangs on the link (information, note) with the user as its author, and log it."""
    with _logged(request, link, what):
        entry = form.save(commit=False)
        entry.link, entry.by = link, request.user
        entry.save()
    return entry


@require_POST
@person_view(*CAREGIVER_ROLES)
def add_information(request, link_id):
    link = get_link_for_user(request, link_id, "caregiver information form")
    form = InformationForm(request.POST)
    if not form.is_valid():
        return _render_link(request, link, information_form=form)
    _save_authored(request, form, link, "caregiver information log")
    return redirect("caregivers:link", link_id=link.pk)


@require_POST
@person_view(*CAREGIVER_ROLES)
def add_agreement(request, link_id):
    link = get_link_for_user(request, link_id, "collaboration agreement form")
    form = AgreementForm(request.POST)
    if not form.is_valid():
        return _render_link(request, link, agreement_form=form)
    with _logged(request, link, "collaboration agreement"):
        services.next_agreement(link, request.user, **form.cleaned_data)
    messages.success(request, _("The agreement is saved as a new version. Earlier versions are kept."))
    return redirect("caregivers:link", link_id=link.pk)


@require_POST
@person_view(*CAREGIVER_ROLES)
def add_note(request, link_id):
    link = get_link_for_user(request, link_id, "advance care conversation form")
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _render_link(request, link, note_form=form)
    _save_authored(request, form, link, "advance care conversation")
    return redirect("caregivers:link", link_id=link.pk)


@person_view(*CAREGIVER_ROLES)
def agreement_pdf(request, agreement_id):
    agreement = get_agreement_for_user(request, agreement_id, AccessAction.EXPORT)
    # In the caregiver's language: they are the one who signs.
    try:
        pdf = print_letters([agreement_letter(agreement, request.user.unit)], timezone.localdate(), by=request.user)
    except LetterRefused as refused:
        messages.error(request, str(refused))
        return redirect("caregivers:link", link_id=agreement.link_id)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="agreement-{agreement.pk}-v{agreement.version}.pdf"'
    return response


def agreement_letter(agreement, unit):
    """The agreement to sign, as a letter to the caregiver; one record per agreement version."""
    link = agreement.link
    return Letter(
        "agreement",
        link.caregiver,
        unit,
        f"agreement-{agreement.pk}-v{agreement.version}",
        values={"about": link.recipient.full_name, "version": agreement.version},
        extra_template="letters/agreement_terms.html",
        extra={
            "caregiver_does": agreement.caregiver_does,
            "service_does": agreement.service_does,
            "review_date": agreement.review_date,
        },
    )


@person_view(*CAREGIVER_ROLES)
def shared(request, link_id):
    """What staff may tell this caregiver about the recipient: nothing beyond the recipient's consent."""
    link = get_link_for_user(request, link_id, "information shared with the caregiver")
    shared = services.shared_view(link, planned_stays)
    return render(request, "caregivers/shared.html", {"link": link, **shared})


@person_view(*CAREGIVER_ROLES)
def respite_letter(request, link_id):
    """The recipient's planned stays as a letter to the caregiver: only with consent to share them."""
    link = get_link_for_user(request, link_id, "respite letter to the caregiver", AccessAction.EXPORT)
    if ConsentTopic.RESPITE not in consented_topics(link):
        raise PermissionDenied
    try:
        return stays_letter_response(request, link.recipient, link.caregiver)
    except LetterRefused as refused:
        messages.error(request, str(refused))
        return redirect("caregivers:link", link_id=link.pk)


@person_view(*CAREGIVER_ROLES)
def worklist(request):
    """Caregivers who need follow-up: overdue mapping, high strain, child caregivers. Only those the user sees."""
    visible = visible_persons(request.user)
    links = CaregiverLink.objects.filter(recipient__in=visible, caregiver__in=visible)
    links = links.select_related("caregiver", "recipient").prefetch_related("mappings", "prompts")
    today = timezone.localdate()
    rows = [(link, reasons) for link in links if (reasons := _reasons(link, today))]
    log_persons_listed(request, {p for link, _ in rows for p in (link.caregiver, link.recipient)}, "caregiver worklist")
    return render(request, "caregivers/worklist.html", {"rows": rows})


def _reasons(link, today):
    reasons = []
    if any(p.done_at is None and p.due < today for p in link.prompts.all()):
        reasons.append(_("Mapping overdue"))
    mappings = sorted(link.mappings.all(), key=lambda m: m.done_at, reverse=True)
    if mappings and mappings[0].high_strain:
        reasons.append(_("High strain"))
    if link.is_child(today):
        reasons.append(_("Child caregiver: the law requires follow-up"))
    return reasons


@staff_required()
def contacts(request):
    """The caregiver contact of each department and the coordinators: staff names only, no personal data."""
    municipality = request.user.municipality
    departments = Department.objects.filter(unit__municipality=municipality).select_related(
        "unit", "caregiver_contact__user"
    )
    form = None
    if request.user.role in CONTACT_EDITORS:
        form = ContactForm(request.POST or None, municipality=municipality)
        if request.method == "POST" and form.is_valid():
            CaregiverContact.objects.update_or_create(
                department=form.cleaned_data["department"], defaults={"user": form.cleaned_data["user"]}
            )
            messages.success(request, _("The caregiver contact is saved."))
            return redirect("caregivers:contacts")
    coordinators = User.objects.filter(municipality=municipality, role=Role.CAREGIVER_COORDINATOR, is_active=True)
    return render(
        request, "caregivers/contacts.html", {"departments": departments, "coordinators": coordinators, "form": form}
    )
