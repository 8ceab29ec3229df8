"""The health station's worklist, a person's outreach page, contacts and assignment."""

from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trappa.accounts.routes import staff_required
from trappa.audit.access import check_person_access, grants_for_persons, log_access, log_persons_listed
from trappa.audit.models import AccessAction, CareRelationship, CareRelationshipKind
from trappa.audit.routes import person_view
from trappa.jobs.access import get_job_for_user, visible_jobs
from trappa.jobs.models import Job, JobStatus
from trappa.jobs.queue import enqueue
from trappa.letters.documents import print_letters
from trappa.lib.exports import CsvWriter
from trappa.lib.replica import replica_reads
from trappa.lib.small_counts import is_small
from trappa.outreach import letters, listing, worklist
from trappa.outreach.forms import AssignForm, ContactForm, WorklistFilterForm
from trappa.outreach.models import Contact, Outcome, WorklistCounts, WorklistEntry
from trappa.outreach.roles import ACCEPTANCE_ROLES, MEDICINE_IMPORT_ROLES, OUTREACH_ROLES
from trappa.outreach.tasks import (
    MEDICINE_LIST_IMPORT,
    build_worklist_task,
    import_medicine_list_file,
    letters_path,
    render_letters_task,
)
from trappa.people.access import get_person_for_user, visible_persons
from trappa.people.import_views import start_file_import
from trappa.people.models import Person

PAGE_SIZE = 100


def _ruleset(request):
    try:
        return worklist.ruleset_for(request.user.municipality)
    except worklist.WorklistError:
        return None


def worklist_persons(user, ruleset, data):
    """The worklist as the user may see it, filtered, with each person's latest contact."""
    # The worklist is everyone the user holds a worklist relationship with (their own or their
    # unit's); the entry, when the rules made one, says why.
    on_worklist = CareRelationship.objects.current().for_user(user).filter(kind=CareRelationshipKind.WORKLIST)
    # An IN over the (few) relationships, so the database starts from them, not from every person.
    persons = visible_persons(user).filter(pk__in=Subquery(on_worklist.values("person_id")))
    areas = sorted(set(persons.exclude(area="").values_list("area", flat=True)))
    form = WorklistFilterForm(data, areas, ruleset.labels() if ruleset else {})
    if form.is_valid():
        persons = _filtered(persons, form.cleaned_data, user)
    latest = Contact.objects.filter(person=OuterRef("pk")).order_by("-at", "-id")
    persons = persons.annotate(
        last_outcome=Subquery(latest.values("outcome")[:1]),
        last_contact_at=Subquery(latest.values("at")[:1]),
        remind_on=Subquery(latest.values("remind_on")[:1]),
    )
    if form.is_valid() and form.cleaned_data["due"]:
        persons = persons.filter(remind_on__lte=timezone.localdate())
    persons = persons.select_related("worklist_entry__assigned_to")
    priority = F("worklist_entry__priority").asc(nulls_last=True)
    # Most urgent first; within a priority the oldest first, not the alphabet.
    return persons.order_by(priority, "birth_date", "family_name", "given_name", "pk"), form


def _filtered(persons, data, user):
    # Filters are applied to what the user may see; they never widen it.
    if data["area"]:
        persons = persons.filter(area=data["area"])
    if data["reason"]:
        # The reasons are a JSON list of rule ids; the quotes make the match exact.
        persons = persons.filter(worklist_entry__reasons__icontains=f'"{data["reason"]}"')
    if data["assigned"] == "mine":
        persons = persons.filter(worklist_entry__assigned_to=user)
    elif data["assigned"] == "nobody":
        persons = persons.filter(worklist_entry__assigned_to__isnull=True)
    return persons


# The worklist's other orders (the default is priority, then the oldest first: worklist_persons).
SORTS = {
    "age": ["birth_date", "family_name", "given_name", "pk"],
    "name": ["family_name", "given_name", "pk"],
    # Longest since the last contact first, the never contacted before anyone.
    "contact": [F("last_contact_at").asc(nulls_first=True), "birth_date", "pk"],
}


@person_view(*OUTREACH_ROLES)
def worklist_page(request):
    """A page of the worklist, read in the index's order from where the last page ended (listing.py)."""
    ruleset = _ruleset(request)
    user = request.user
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "priority"
    numbered = None
    if sort == "priority":
        # The default order is the build's index, read by keyset (listing.py): no sort of the register.
        counts = WorklistCounts.objects.filter(municipality_id=user.municipality_id).first()
        form = WorklistFilterForm(request.GET, _areas(user, counts), ruleset.labels() if ruleset else {})
        filters = form.cleaned_data if form.is_valid() else {}
        segments = listing.worklist_segments(user, filters)
        page = listing.page(
            segments, PAGE_SIZE, after=request.GET.get("after", ""), before=request.GET.get("before", "")
        )
        rows = listing.rows_with_contacts(page.rows)
        count = listing.list_count(user, filters, counts)
        if count is None:  # a combination of filters the build does not count
            count = sum(segment.queryset.count() for segment in segments)
    else:
        # The other orders a nurse may choose (by name, age or last contact) are numbered pages.
        persons, form = worklist_persons(user, ruleset, request.GET)
        numbered = Paginator(persons.order_by(*SORTS[sort]), PAGE_SIZE).get_page(request.GET.get("page"))
        page = None
        rows = [(person, _entry(person)) for person in numbered.object_list]
        count = numbered.paginator.count
    log_persons_listed(request, [person for person, _entry in rows], "outreach worklist")
    labels = ruleset.labels() if ruleset else {}
    # Each row's words found here once, not by the template for every row (a tenth of the page's time).
    outcomes = dict(Outcome.choices)
    for person, _shown in rows:
        person.outcome_label = outcomes.get(getattr(person, "last_outcome", None))
    rows = [(p, e, [labels.get(r, r) for r in getattr(e, "reasons", [])]) for p, e in rows]
    today = timezone.localdate()
    query = request.GET.copy()
    for key in ("page", "after", "before"):
        query.pop(key, None)
    unsorted = query.copy()
    unsorted.pop("sort", None)
    letter_jobs = visible_jobs(request.user).filter(kind="letters", started_by=request.user)[:5]
    context = {
        "form": form,
        "page": page,
        "numbered": numbered,
        "count": count,
        "rows": rows,
        "ruleset": ruleset,
        "query": query.urlencode(),
        "unsorted_query": unsorted.urlencode(),
        "sort": sort,
        "today": today,
        "row_html": _rows_html(rows, today),
        "letter_jobs": letter_jobs,
    }
    return render(request, "outreach/worklist.html", context)


def _rows_html(rows, today):
    """The list's rows as HTML, made here rather than by the template: a hundred rows through the
    template language were most of the page's time (#17). Every value is escaped by format_html."""
    # The words are the same on every row: translated and escaped once.
    words = {
        "priority": _("Priority"),
        "name": _("Name"),
        "age": _("Age"),
        "phone": _("Phone"),
        "area": _("Area"),
        "reasons": _("Reasons"),
        "contact": _("Contact status"),
        "assigned": _("Assigned to"),
        "not_contacted": _("Not contacted"),
        "due": _("Reminder due"),
    }
    words = {key: conditional_escape(word) for key, word in words.items()}
    return [_row_html(person, entry, reasons, today, words) for person, entry, reasons in rows]


ROW = (
    '<tr><td class="number" data-label="{priority}">{priority_value}</td>'
    '<td data-label="{name}"><a href="{url}">{family_name}, {given_name}</a></td>'
    '<td class="number" data-label="{age}">{age_value}</td>'
    '<td data-label="{phone}">{phone_value}</td>'
    '<td data-label="{area}">{area_value}</td>'
    '<td data-label="{reasons}">{reasons_value}</td>'
    '<td data-label="{contact}">{contact_value}</td>'
    '<td data-label="{assigned}">{assigned_value}</td></tr>'
)


def _row_html(person, entry, reasons, today, words):
    phone = "–"
    if person.phone:
        phone = format_html('<a href="tel:{}">{}</a>', person.phone.replace(" ", ""), person.phone)
    listed = "–"
    if reasons:
        listed = format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((r,) for r in reasons)))
    assigned = entry.assigned_to if entry else None
    return format_html(
        ROW,
        **words,
        priority_value=entry.priority if entry and entry.priority else "–",
        url=reverse("outreach:person", args=[person.pk]),
        family_name=person.family_name,
        given_name=person.given_name,
        age_value=person.age_on(today),
        phone_value=phone,
        area_value=person.area or "–",
        reasons_value=listed,
        contact_value=_contact_status(person, today, words),
        assigned_value=(assigned.get_full_name() or assigned.username) if assigned else "–",
    )


def _contact_status(person, today, words):
    if not getattr(person, "last_outcome", None):
        return words["not_contacted"]
    when = date_format(template_localtime(person.last_contact_at), "SHORT_DATE_FORMAT")
    status = format_html("{} ({})", person.outcome_label, when)
    remind_on = getattr(person, "remind_on", None)
    if remind_on and remind_on <= today:
        status = format_html('{} <span class="flag">{}</span>', status, words["due"])
    return status


def _areas(user, counts):
    """The areas to filter by: those on the list at the last build (or, before any build, on the entries)."""
    if counts is not None:
        return sorted(counts.by_area)
    entries = WorklistEntry.objects.filter(municipality_id=user.municipality_id).exclude(area="")
    return list(entries.order_by("area").values_list("area", flat=True).distinct())


def _entry(person):
    try:
        return person.worklist_entry
    except WorklistEntry.DoesNotExist:
        return None


@person_view(*OUTREACH_ROLES)
def person_page(request, person_id):
    person = get_person_for_user(request, person_id, "outreach page")
    return _render_person(request, person, ContactForm(initial={"on": timezone.localdate()}))


def _render_person(request, person, contact_form, status=200):
    ruleset = _ruleset(request)
    entry = WorklistEntry.objects.filter(person=person).select_related("assigned_to").first()
    labels = ruleset.labels() if ruleset else {}
    nurses = _nurses(request, ruleset)
    context = {
        "person": person,
        "entry": entry,
        "reasons": [labels.get(r, r) for r in entry.reasons] if entry else [],
        "contacts": Contact.objects.filter(person=person).select_related("by"),
        "contact_form": contact_form,
        "assign_form": AssignForm(nurses=nurses, initial={"nurse": entry.assigned_to_id if entry else None}),
    }
    return render(request, "outreach/person.html", context, status=status)


def _nurses(request, ruleset):
    if ruleset is None:
        return worklist.User.objects.none()
    try:
        unit = worklist.holding_unit(request.user.municipality, ruleset)
    except worklist.WorklistError:
        return worklist.User.objects.none()
    return worklist.nurses_for(request.user.municipality, unit)


@require_POST
@person_view(*OUTREACH_ROLES)
def add_contact(request, person_id):
    person = get_person_for_user(request, person_id, "contact log form")
    form = ContactForm(request.POST)
    if not form.is_valid():
        return _render_person(request, person, form)
    entry = WorklistEntry.objects.filter(person=person).first()
    with transaction.atomic():
        contact = _save_contact(request, person, entry, form)
        log_access(
            request, person, check_person_access(request.user, person), f"contact {contact.pk}", AccessAction.CREATE
        )
    messages.success(request, _("The contact is saved."))
    return redirect("outreach:person", person_id=person.pk)


def _save_contact(request, person, entry, form):
    data = form.cleaned_data
    return Contact.objects.create(
        municipality=person.municipality,
        person=person,
        channel=data["channel"],
        outcome=data["outcome"],
        at=form.contact_time(),
        by=request.user,
        reasons=entry.reasons if entry else [],
        note=data["note"],
        remind_on=data["remind_on"],
        do_not_contact=data["do_not_contact"],
    )


@require_POST
@person_view(*OUTREACH_ROLES)
def assign(request, person_id):
    person = get_person_for_user(request, person_id, "worklist assignment form")
    entry = WorklistEntry.objects.filter(person=person).first()
    if entry is None:
        messages.error(request, _("This person is not on the worklist, so there is nothing to assign."))
        return redirect("outreach:person", person_id=person.pk)
    form = AssignForm(request.POST, nurses=_nurses(request, _ruleset(request)))
    if not form.is_valid():
        messages.error(request, _("Choose one of the health station's nurses."))
        return redirect("outreach:person", person_id=person.pk)
    with transaction.atomic():
        worklist.assign(entry, form.cleaned_data["nurse"])
        log_access(
            request, person, check_person_access(request.user, person), "worklist assignment", AccessAction.CHANGE
        )
    messages.success(request, _("The assignment is saved."))
    return redirect("outreach:person", person_id=person.pk)


@require_POST
@staff_required(*OUTREACH_ROLES)
def build(request):
    # The button sends confirm=yes; a bare POST (a stray request) builds nothing.
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Use the button on the worklist page to build the worklist."))
        return redirect("outreach:worklist")
    job = Job.objects.create(
        kind="worklist", label=_("Worklist"), municipality_id=request.user.municipality_id, started_by=request.user
    )
    enqueue(job, build_worklist_task)
    return redirect("jobs:job", job_id=job.pk)


MAIL_MERGE_COLUMNS = (
    "given_name",
    "family_name",
    "street_address",
    "postal_code",
    "postal_place",
    "area",
    "written_standard",
    "letter",
    "reasons",
)


@person_view(*OUTREACH_ROLES)
def export(request):
    """The filtered worklist as a mail-merge CSV. Every person in it is logged as exported."""
    ruleset = _ruleset(request)
    persons, form = worklist_persons(request.user, ruleset, request.GET)
    if not form.is_valid():
        # An unknown filter must not widen the export to the whole list.
        return HttpResponse(
            _("The filters are not valid; nothing was exported."), status=400, content_type="text/plain; charset=utf-8"
        )
    persons = list(persons.select_related("municipality"))
    log_persons_exported(request, persons, "outreach mail-merge file")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="worklist.csv"'
    # A BOM so that Excel, where mail merges are made, reads the file as UTF-8.
    response.write("\ufeff")
    writer = CsvWriter(response)
    writer.writerow(MAIL_MERGE_COLUMNS)
    for person in persons:
        writer.writerow(_mail_merge_row(person, ruleset))
    return response


def _mail_merge_row(person, ruleset):
    standard = person.preferred_written_standard()
    reasons = getattr(_entry(person), "reasons", [])
    labels = ruleset.labels(standard) if ruleset else {}
    return [
        person.given_name,
        person.family_name,
        person.street_address,
        person.postal_code,
        person.postal_place,
        person.area,
        standard,
        letters.letter_kind(ruleset, reasons),
        " | ".join(labels.get(r, r) for r in reasons),
    ]


def log_persons_exported(request, persons, what):
    """One EXPORT entry per person; all must be visible to the user (else nothing is exported)."""
    grants = grants_for_persons(request.user, persons)
    if any(p.pk not in grants for p in persons):
        raise PermissionDenied
    # One transaction: thousands of log entries in one commit, and none if any fails.
    with transaction.atomic():
        for person in persons:
            log_access(request, person, grants[person.pk], what, AccessAction.EXPORT)


@staff_required(*ACCEPTANCE_ROLES)
def acceptance(request):
    """How many were invited and how many accepted, per cohort and year: counts only, no names."""
    ruleset = _ruleset(request)
    labels = ruleset.labels() if ruleset else {}
    threshold = settings.SMALL_COUNT_THRESHOLD
    with replica_reads():  # counts only: a replica's few seconds of lag do not matter
        rates = acceptance_rates(request.user.municipality_id)
    rows = [suppress_small_counts(row, threshold) for row in rates]
    rows = [
        {**row, "label": labels.get(row["reason"], row["reason"]) if row["reason"] else _("No reason recorded")}
        for row in rows
    ]
    return render(request, "outreach/acceptance.html", {"rows": rows, "threshold": threshold})


def suppress_small_counts(row, threshold):
    """The row with every number that could point at fewer than `threshold` persons set to None.

    Each row stands alone (the page has no totals, and a person may count under
    several reasons, so rows do not add up). Within a row, a small group is as
    revealing by its complement (18 of 20 accepting tells about the 2 who did
    not; 9 accepting and 9 declining of 20, about the 2 who did neither), and
    accepted and declined are hidden together: when nobody had another outcome,
    contacted minus declined is the number who accepted.
    """
    invited, accepted, declined = row["invited"], row["accepted"], row["declined"]
    if is_small(invited, threshold):
        return {**row, "invited": None, "accepted": None, "declined": None, "rate": None}
    others = invited - accepted - declined  # who had only other outcomes (sent, no answer ...)
    # acceptance_rates counts each person once, so others is never negative; if it were, it would
    # count the persons with both answers, and a few of those are as revealing as a few others.
    counts = (accepted, declined, invited - accepted, invited - declined, others, -others)
    if any(is_small(n, threshold) for n in counts):
        return {**row, "accepted": None, "declined": None, "rate": None}
    return row


def acceptance_rates(municipality_id):
    """[{year, reason, invited, accepted, declined, rate}]: a person counts once per year and reason.

    A person who both accepted and declined in a year and reason counts by their last answer, so
    accepted + declined never exceed those contacted and the rest had only other outcomes.
    Outcomes other than an answer (a reminder sent, no answer) do not undo an earlier answer."""
    answers = defaultdict(dict)  # (year, reason) -> {person id: last answer or None}
    contacts = Contact.objects.filter(municipality_id=municipality_id).order_by("at", "pk")
    for person_id, at, outcome, reasons in contacts.values_list("person_id", "at", "outcome", "reasons").iterator():
        year = timezone.localtime(at).year
        answer = outcome if outcome in (Outcome.ACCEPTED, Outcome.DECLINED) else None
        for reason in reasons or [""]:
            persons = answers[(year, reason)]
            if answer is not None or person_id not in persons:
                persons[person_id] = answer
    rows = []
    for year, reason in sorted(answers, key=lambda k: (-k[0], k[1])):
        last = list(answers[(year, reason)].values())
        invited, accepted, declined = len(last), last.count(Outcome.ACCEPTED), last.count(Outcome.DECLINED)
        rows.append(
            {
                "year": year,
                "reason": reason,
                "invited": invited,
                "accepted": accepted,
                "declined": declined,
                "rate": round(100 * accepted / invited),
            }
        )
    return rows


@person_view(*OUTREACH_ROLES)
def letter(request, person_id):
    person = get_person_for_user(request, person_id, "invitation letter", AccessAction.EXPORT)
    ruleset = _ruleset(request)
    if ruleset is None:
        raise Http404
    entry = WorklistEntry.objects.filter(person=person).first()
    reasons, today = (entry.reasons if entry else []), timezone.localdate()
    try:
        pdf = letters.render_pdf([(person, reasons)], ruleset, today, request.user.unit, by=request.user)
    except letters.LetterError as refused:
        messages.error(request, str(refused))
        return redirect("outreach:person", person_id=person.pk)
    return _pdf_response(pdf, f"letter-{person.pk}.pdf")


@person_view(*OUTREACH_ROLES)
def reminder(request, person_id):
    """A reminder to a person who has not answered an invitation (once a day at most is recorded)."""
    person = get_person_for_user(request, person_id, "reminder letter", AccessAction.EXPORT)
    today = timezone.localdate()
    letter = letters.reminder(person, request.user.unit, f"reminder-{today.isoformat()}")
    try:
        pdf = print_letters([letter], today, by=request.user)
    except letters.LetterError as refused:
        messages.error(request, str(refused))
        return redirect("outreach:person", person_id=person.pk)
    return _pdf_response(pdf, f"reminder-{person.pk}.pdf")


def _pdf_response(pdf, filename):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_required(*OUTREACH_ROLES)
def confirm_letters(request):
    """Before a batch: how many letters the filtered worklist makes, to confirm or cancel. A count, no names."""
    persons, form = worklist_persons(request.user, _ruleset(request), request.GET)
    if not form.is_valid():
        messages.error(request, _("The filters are not valid; no letters were made."))
        return redirect("outreach:worklist")
    count = persons.count()
    context = {"form": form, "count": count, "too_many": count > settings.LETTERS_BATCH_MAX}
    context["batch_max"] = settings.LETTERS_BATCH_MAX
    return render(request, "outreach/letters_confirm.html", context)


@require_POST
@person_view(*OUTREACH_ROLES)
def start_letters(request):
    """A batch of letters for the filtered worklist, made in the background with progress."""
    persons, form = worklist_persons(request.user, _ruleset(request), request.POST)
    if not form.is_valid():
        # An unknown filter must not widen the batch to the whole list.
        messages.error(request, _("The filters are not valid; no letters were made."))
        return redirect("outreach:worklist")
    persons = list(persons[: settings.LETTERS_BATCH_MAX + 1])
    if not persons or len(persons) > settings.LETTERS_BATCH_MAX:
        messages.error(
            request, _("Choose between 1 and %(max)s persons with the filters.") % {"max": settings.LETTERS_BATCH_MAX}
        )
        return redirect("outreach:worklist")
    log_persons_exported(request, persons, "invitation letters (batch)")
    job = Job.objects.create(
        kind="letters",
        label=_("Invitation letters"),
        municipality_id=request.user.municipality_id,
        started_by=request.user,
        params={"person_ids": [p.pk for p in persons]},
    )
    enqueue(job, render_letters_task)
    return redirect("jobs:job", job_id=job.pk)


@person_view(*OUTREACH_ROLES)
def download_letters(request, letters_job_id):
    """The batch PDF, for a user who may still see every person in it; each is logged as exported."""
    job = get_job_for_user(request, letters_job_id)
    if job.kind != "letters":
        raise Http404
    persons = list(Person.objects.filter(pk__in=job.params.get("person_ids", []), municipality=job.municipality))
    log_persons_exported(request, persons, f"invitation letters (batch {job.pk})")
    path = letters_path(job)
    if job.status != JobStatus.DONE or not path.exists():
        messages.info(request, _("The letters are not ready yet."))
        return redirect("jobs:job", job_id=job.pk)
    return FileResponse(open(path, "rb"), as_attachment=True, filename=f"letters-{job.pk}.pdf")


@staff_required(*MEDICINE_IMPORT_ROLES)
def import_medicine_lists(request):
    """Upload medicine lists from the GP or the home service; a job imports them, all or nothing."""
    return start_file_import(request, MEDICINE_LIST_IMPORT, import_medicine_list_file, "outreach/medicine_import.html")
