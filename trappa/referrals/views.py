"""Referrals, waitlists, groups and enrollments. Every person is reached through the access helpers."""

from statistics import mean, quantiles

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trappa.accounts.routes import staff_required
from trappa.assessments import screening
from trappa.assessments.instruments import AnswerErrors, get
from trappa.audit.access import check_person_access, log_persons_listed
from trappa.audit.models import AccessAction
from trappa.audit.routes import person_view
from trappa.catalogue.models import Offering
from trappa.letters.documents import LetterRefused, print_letters
from trappa.lib import panels
from trappa.lib.small_counts import is_small
from trappa.people.access import get_person_for_user, visible_persons
from trappa.referrals import letters, services
from trappa.referrals.access import get_enrollment_for_user, get_referral_for_user, log_enrollment
from trappa.referrals.forms import (
    GroupForm,
    MeasurementForm,
    PathwayDetailsForm,
    PhysiotherapyForm,
    ReferralForm,
    StatusForm,
)
from trappa.referrals.models import (
    ACTIVE,
    OWN_SERVICE_PATHWAYS,
    PATHWAY_DETAILS,
    PHYSIOTHERAPY_MINUTES_PER_DAY,
    SEATED,
    TAKEN,
    EnrollmentStatus,
    Group,
    Pathway,
    Referral,
    Session,
    Status,
)
from trappa.referrals.roles import FEE_ROLES, GROUP_CREATORS, GROUP_ROLES, PARTICIPANT_ROLES, REFERRAL_ROLES


@person_view(*PARTICIPANT_ROLES)
def person_referrals(request, person_id):
    person = get_person_for_user(request, person_id, "referrals and enrollments")
    return _render_person(request, person)


def _render_person(request, person, enroll_error="", status=200):
    """The person's referrals and enrollments; after a refused enrollment, the form again with
    the input kept and the reason in an error summary that takes focus."""
    referrals = person.referrals.select_related("offering__municipality", "unit")
    referrals = referrals.annotate(physiotherapy_count=Count("physiotherapy"))
    enrollments = person.enrollments.select_related("group").order_by("-created_at")
    # Groups still to start or running, to enroll in.
    open_groups = Group.objects.filter(municipality=person.municipality).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate())
    )
    context = {"person": person, "referrals": referrals, "enrollments": enrollments, "groups": open_groups}
    context["mappings"] = person.first_contact_mappings.all()
    context |= {"enroll_error": enroll_error, "posted": request.POST if enroll_error else {}}
    return render(request, "referrals/person.html", context, status=status)


@person_view(*REFERRAL_ROLES)
def new_referral(request, person_id):
    if request.method != "POST":
        person = get_person_for_user(request, person_id, "new referral form")
        return _render_new(request, person, ReferralForm(person.municipality))
    person = get_person_for_user(request, person_id, "new referral form")
    form = ReferralForm(person.municipality, request.POST)
    if not form.is_valid():
        return _render_new(request, person, form)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            referral = _refer(request, person, data)
    except ValidationError as error:
        form.add_error(None, error)
        return _render_new(request, person, form)
    messages.success(request, _("The referral is saved."))
    return redirect("referrals:referral", referral_id=referral.pk)


def _refer(request, person, data):
    """Refer, then log the new referral in the same transaction."""
    referral = services.refer(
        person,
        data["offering"],
        data["source"],
        request.user,
        data["reason"],
        unit=data["unit"],
        service=data["service"],
        pathway=data["pathway"],
        details={name: data.get(name) for name in PATHWAY_DETAILS},
    )
    if data["goals"]:
        referral.goals = data["goals"]
        referral.save(update_fields=["goals"])
    get_referral_for_user(request, referral.pk, AccessAction.CREATE)
    return referral


def _render_new(request, person, form):
    return render(request, "referrals/new.html", {"person": person, "form": form})


@person_view(*REFERRAL_ROLES)
def referral_detail(request, referral_id):
    referral = get_referral_for_user(request, referral_id)
    return _render_detail(request, referral, StatusForm(referral), MeasurementForm(), [])


def _render_detail(request, referral, status_form, measurement_form, problems, **forms):
    sppb = get("sppb")
    sessions = list(referral.physiotherapy.select_related("by")) if _is_stay(referral) else []
    context = {
        "pathway_form": forms.get("pathway_form") or PathwayDetailsForm(referral),
        "physiotherapy_form": forms.get("physiotherapy_form") or PhysiotherapyForm(),
        "is_stay": _is_stay(referral),
        "sessions": sessions,
        "session_minutes": sum(s.minutes for s in sessions),
        "minutes_per_day": PHYSIOTHERAPY_MINUTES_PER_DAY,
        "mapping": referral.mapping,
        "referral": referral,
        "person": referral.person,
        "steps": referral.steps.select_related("by"),
        "measurements": referral.measurements.order_by("moment"),
        "status_form": status_form,
        "measurement_form": measurement_form,
        "sppb_items": screening.form_items(sppb, request.POST),
        "problems": problems,
    }
    return render(request, "referrals/referral.html", context)


@person_view(*REFERRAL_ROLES)
@require_POST
def change_status(request, referral_id):
    referral = get_referral_for_user(request, referral_id)
    form = StatusForm(referral, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.change_status(
                    referral, data["status"], request.user, on=data["on"], reason=data["reason"], visits=data["visits"]
                )
                get_referral_for_user(request, referral.pk, AccessAction.CHANGE)
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        return _render_detail(request, referral, form, MeasurementForm(), [])
    messages.success(request, _("The status is changed."))
    return redirect("referrals:referral", referral_id=referral.pk)


def _is_stay(referral):
    return referral.pathway == Pathway.REHABILITATION_STAY


@person_view(*REFERRAL_ROLES)
@require_POST
def pathway_details(request, referral_id):
    """The pathway's own fields: the plan's goals and period, the discharge date, the ward."""
    referral = get_referral_for_user(request, referral_id)
    if referral.pathway not in OWN_SERVICE_PATHWAYS:  # the form is not on its page: say why on the page
        messages.error(request, services.NO_PLAN_HERE)
        return redirect("referrals:referral", referral_id=referral.pk)
    form = PathwayDetailsForm(referral, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.set_pathway_details(referral, data, goals=data["goals"])
                get_referral_for_user(request, referral.pk, AccessAction.CHANGE)
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        return _render_detail(request, referral, StatusForm(referral), MeasurementForm(), [], pathway_form=form)
    messages.success(request, _("The plan is saved."))
    return redirect("referrals:referral", referral_id=referral.pk)


@person_view(*REFERRAL_ROLES)
@require_POST
def physiotherapy(request, referral_id):
    """A day's physiotherapy follow-up during a rehabilitation stay (seed 001 §7.1: an hour a day)."""
    referral = get_referral_for_user(request, referral_id)
    if referral.pathway != Pathway.REHABILITATION_STAY:  # the form is not on its page: say why on the page
        messages.error(request, services.PHYSIOTHERAPY_ONLY_FOR_STAYS)
        return redirect("referrals:referral", referral_id=referral.pk)
    form = PhysiotherapyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.record_physiotherapy(referral, data["on"], request.user, minutes=data["minutes"])
                get_referral_for_user(request, referral.pk, AccessAction.CHANGE)
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        return _render_detail(request, referral, StatusForm(referral), MeasurementForm(), [], physiotherapy_form=form)
    messages.success(request, _("The physiotherapy session is saved."))
    return redirect("referrals:referral", referral_id=referral.pk)


@person_view(*REFERRAL_ROLES)
@require_POST
def record_measurement(request, referral_id):
    referral = get_referral_for_user(request, referral_id)
    form = MeasurementForm(request.POST)
    problems = []
    if form.is_valid():
        problems = _save_measurement(request, referral, form.cleaned_data)
    if not form.is_valid() or problems:
        return _render_detail(request, referral, StatusForm(referral), form, problems)
    messages.success(request, _("The test is saved."))
    return redirect("referrals:referral", referral_id=referral.pk)


def _save_measurement(request, referral, data):
    """Problems to show, or none once saved."""
    sppb = get("sppb")
    answers, problems = screening.read_answers(sppb, request.POST)
    if data["not_tested_reason"] and answers:
        return [_("Record either the test or why it was not done, not both.")]
    if not data["not_tested_reason"] and not answers:
        return [_("Fill in the test, or why it was not done.")]
    if problems:
        return problems
    try:
        with transaction.atomic():
            services.record_measurement(
                referral, data["moment"], answers or {}, on=data["on"], not_tested_reason=data["not_tested_reason"]
            )
            get_referral_for_user(request, referral.pk, AccessAction.CHANGE)
    except AnswerErrors as error:
        return [p.text(_, screening.language()) for p in error.problems]
    return []


@staff_required()
def waitlists(request):
    """Per offering: how many wait and for how long. Counts only, no names, and no one person's
    value: fewer than SMALL_COUNT_THRESHOLD waiting shows as "<threshold" without the days, and the
    spread is the upper quartile, never the longest wait."""
    q = Referral.objects.filter(municipality=request.user.municipality, status__in=[Status.RELEVANT, Status.WAITING])
    today = timezone.localdate()
    summary = {}
    for offering_id, since in q.exclude(offering=None).values_list("offering_id", "status_on"):
        summary.setdefault(offering_id, []).append((today - since).days)
    offerings = Offering.objects.filter(pk__in=summary).order_by("name_nb")
    rows = [(o, o.text("name"), *_waiting_summary(summary[o.pk])) for o in offerings]
    return render(request, "referrals/waitlists.html", {"rows": rows})


def _waiting_summary(days):
    """(count, mean days, upper quartile days) of the waits, with small counts hidden."""
    threshold = settings.SMALL_COUNT_THRESHOLD
    if is_small(len(days), threshold) or len(days) < 2:
        return f"<{threshold}", None, None
    return len(days), round(mean(days)), round(quantiles(days, n=4, method="inclusive")[2])


@person_view(*PARTICIPANT_ROLES)
def waitlist(request, offering_id):
    """Who waits for an offering and how long, among the persons this user may see."""
    offering = get_object_or_404(Offering, pk=offering_id, municipality=request.user.municipality)
    q = Referral.objects.filter(offering=offering, status__in=[Status.RELEVANT, Status.WAITING])
    # Only persons the user has a grant for are listed, and each is logged.
    q = q.filter(person__in=visible_persons(request.user)).select_related("person").order_by("status_on", "id")
    referrals = list(q[:500])
    log_persons_listed(request, [r.person for r in referrals], f"waitlist for offering {offering.pk}")
    today = timezone.localdate()
    rows = [(r, (today - r.status_on).days) for r in referrals]
    context = {"offering": offering, "offering_name": offering.text("name"), "rows": rows}
    return render(request, "referrals/waitlist.html", context)


@staff_required()
def groups(request):
    """Groups and courses with seats taken and the waitlist length: counts only, no names."""
    q = Group.objects.filter(municipality=request.user.municipality).select_related("offering", "location", "leader")
    q = q.annotate(
        seated=Count("enrollments", filter=Q(enrollments__status__in=list(TAKEN))),
        waiting=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.WAITLISTED)),
    )
    return render(request, "referrals/groups.html", {"groups": q})


@staff_required(*GROUP_CREATORS)
def new_group(request):
    """A new group or course with weekly sessions. Shows no personal data."""
    form = GroupForm(request.user.municipality, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            group = form.save()
            services.add_weekly_sessions(group, form.cleaned_data["first_session"], form.cleaned_data["sessions"])
        messages.success(request, _("The group is created."))
        return redirect("referrals:groups")
    return render(request, "referrals/new_group.html", {"form": form})


@person_view(*GROUP_ROLES)
def group_detail(request, group_id):
    """The roster and waitlist of a group: the persons this user may see, logged."""
    group = get_object_or_404(
        Group.objects.select_related("offering", "location"), pk=group_id, municipality=request.user.municipality
    )
    q = group.enrollments.filter(status__in=list(ACTIVE | TAKEN)).filter(person__in=visible_persons(request.user))
    enrollments = list(q.select_related("person", "fee_paid_by").order_by("-priority", "sequence"))
    log_persons_listed(request, [e.person for e in enrollments], f"group {group.pk}")
    seated = [e for e in enrollments if e.status in TAKEN]
    waiting = [e for e in enrollments if e.status == EnrollmentStatus.WAITLISTED]
    context = {
        "group": group,
        "seated": seated,
        "waiting": waiting,
        "sessions": group.sessions.all(),
        "keeps_fees": group.fee > 0 and request.user.role in FEE_ROLES,
        "started": group.starts_on <= timezone.localdate(),
        # Volunteers and their hours, from the volunteers app above this one.
        "panels": panels.render("referrals:group", request, group=group),
    }
    return render(request, "referrals/group.html", context)


@person_view(*FEE_ROLES)
def unpaid_fees(request, group_id):
    """Participants whose fee is not paid, among the persons this user may see (logged)."""
    group = get_object_or_404(Group, pk=group_id, municipality=request.user.municipality)
    q = group.enrollments.filter(status__in=list(TAKEN), fee_paid=False, person__in=visible_persons(request.user))
    # A group without a fee owes nothing, so lists (and logs) nobody.
    q = q if group.fee > 0 else q.none()
    enrollments = list(q.select_related("person").order_by("person__family_name", "person__given_name", "pk"))
    log_persons_listed(request, [e.person for e in enrollments], f"unpaid fees, group {group.pk}")
    context = {"group": group, "enrollments": enrollments, "total": group.fee * len(enrollments)}
    return render(request, "referrals/unpaid_fees.html", context)


@person_view(*FEE_ROLES)
@require_POST
def fee(request, enrollment_id):
    """Mark a participant's fee paid or not paid, from the group page."""
    enrollment = get_enrollment_for_user(request, enrollment_id)
    paid = {"yes": True, "no": False}.get(request.POST.get("paid"))
    try:
        if paid is None:
            raise ValidationError(_("Say whether the fee is paid."))
        # The change and its log entry are committed together, or neither is.
        with transaction.atomic():
            changed = services.set_fee_paid(enrollment, paid, request.user)
            if changed:
                what = ": fee marked paid" if paid else ": fee marked not paid"
                log_enrollment(request, enrollment, AccessAction.CHANGE, what)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("referrals:group", group_id=enrollment.group_id)
    if not changed:
        already = _("The fee is already marked as paid.") if paid else _("The fee is already marked as not paid.")
        messages.info(request, already)
    else:
        messages.success(request, _("The fee is marked as paid.") if paid else _("The fee is marked as not paid."))
    return redirect("referrals:group", group_id=enrollment.group_id)


@person_view(*GROUP_ROLES)
@require_POST
def enroll(request, group_id, person_id):
    group = get_object_or_404(Group, pk=group_id, municipality=request.user.municipality)
    return _enroll(request, group, person_id)


@person_view(*GROUP_ROLES)
@require_POST
def enroll_person(request, person_id):
    """The person page's form: the group is chosen in the form rather than in the URL."""
    group = Group.objects.filter(pk=_int_id(request.POST.get("group")), municipality=request.user.municipality).first()
    if group is None:
        get_person_for_user(request, person_id, "enrollment form")
        messages.error(request, _("Choose a group."))
        return redirect("referrals:person", person_id=person_id)
    return _enroll(request, group, person_id)


def _enroll(request, group, person_id):
    person = get_person_for_user(request, person_id, f"enrollment form, group {group.pk}")
    try:
        # The enrollment and its log entry are committed together, the entry after the row exists.
        with transaction.atomic():
            enrollment = services.enroll(
                group,
                person,
                priority=_int(request.POST.get("priority")),
                pre_course_conversation_on=_date(request.POST.get("conversation_on")),
            )
            log_enrollment(request, enrollment, AccessAction.CREATE, f", group {group.pk}")
    except ValidationError as error:
        return _render_person(request, person, " ".join(error.messages), status=400)
    if enrollment.status == EnrollmentStatus.WAITLISTED:
        messages.info(request, _("The group is full: the person is on the waitlist."))
    else:
        messages.success(request, _("The person is enrolled."))
    return redirect("referrals:person", person_id=person.pk)


def _int(raw):
    try:
        return max(-10, min(10, int(raw)))
    except (TypeError, ValueError):
        return 0


def _date(raw):
    try:
        return parse_date(raw or "")
    except ValueError:
        return None


@person_view(*GROUP_ROLES)
@require_POST
def withdraw(request, enrollment_id):
    done = _("The person is taken off the group; a freed seat is offered to the next.")
    return _enrollment_action(request, enrollment_id, services.withdraw, ": withdrawn", done)


@person_view(*GROUP_ROLES)
def offer_letter(request, enrollment_id):
    """The offer of a place (or of a freed seat) as a letter to the person, with the date to answer by."""
    enrollment = get_enrollment_for_user(request, enrollment_id, AccessAction.EXPORT)
    try:
        letter = letters.offer_letter(enrollment, request.user.unit)
        pdf = print_letters([letter], timezone.localdate(), by=request.user)
    except LetterRefused as refused:
        messages.error(request, str(refused))
        return redirect("referrals:person", person_id=enrollment.person_id)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="offer-{enrollment.pk}.pdf"'
    return response


@person_view(*GROUP_ROLES)
@require_POST
def accept(request, enrollment_id):
    return _enrollment_action(
        request, enrollment_id, services.accept_offer, ": seat accepted", _("The seat is accepted.")
    )


@person_view(*GROUP_ROLES)
@require_POST
def decline(request, enrollment_id):
    done = _("The offered seat is declined; it is offered to the next.")
    return _enrollment_action(request, enrollment_id, services.decline_offer, ": seat declined", done)


@person_view(*GROUP_ROLES)
@require_POST
def complete(request, enrollment_id):
    """From the group page: the participant completed the course."""
    done = _("The participant is marked as having completed the course.")
    return _enrollment_action(request, enrollment_id, services.complete, ": completed", done, to_group=True)


def _enrollment_action(request, enrollment_id, action, what, done, to_group=False):
    """One step of the enrollment state machine, logged in its transaction once it is taken.

    A step no longer possible (someone else acted first) is refused with the status it is in now."""
    enrollment = get_enrollment_for_user(request, enrollment_id)
    # The step may end the access it was taken under (the leader's, through this enrollment).
    grant = check_person_access(request.user, enrollment.person)
    try:
        with transaction.atomic():
            action(enrollment)
            log_enrollment(request, enrollment, AccessAction.CHANGE, what, grant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    if to_group:
        return redirect("referrals:group", group_id=enrollment.group_id)
    return redirect("referrals:person", person_id=enrollment.person_id)


@person_view(*GROUP_ROLES)
@require_POST
def complete_group(request, group_id):
    """From the group page: the course has ended, and everyone enrolled completed it (each logged)."""
    group = get_object_or_404(Group, pk=group_id, municipality=request.user.municipality)
    enrolled = group.enrollments.filter(status=EnrollmentStatus.ENROLLED, person__in=visible_persons(request.user))
    try:
        with transaction.atomic():
            marked = [e for e in enrolled.select_related("person") if _completed(request, e)]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(count)d participants are marked as having completed the course.") % {"count": len(marked)}
        )
    return redirect("referrals:group", group_id=group.pk)


def _completed(request, enrollment):
    """Complete one participant and log it; False if they were taken off meanwhile."""
    grant = check_person_access(request.user, enrollment.person)
    try:
        services.complete(enrollment)
    except ValidationError as error:
        if error.code != "conflict":
            raise
        return False
    log_enrollment(request, enrollment, AccessAction.CHANGE, ": completed", grant)
    return True


@person_view(*GROUP_ROLES)
def attendance(request, session_id):
    """Attendance at one session, for the participants this user may see (logged)."""
    session = get_object_or_404(
        Session.objects.select_related("group"), pk=session_id, group__municipality=request.user.municipality
    )
    q = session.group.enrollments.filter(status__in=list(SEATED), person__in=visible_persons(request.user))
    enrollments = list(q.select_related("person").order_by("sequence"))
    action = AccessAction.CHANGE if request.method == "POST" else AccessAction.LIST
    log_persons_listed(request, [e.person for e in enrollments], f"attendance, session {session.pk}", action)
    if request.method == "POST":
        present = {_int_id(v) for v in request.POST.getlist("present")}
        services.record_attendance(session, present, enrollments)
        messages.success(request, _("Attendance is saved."))
        return redirect("referrals:attendance", session_id=session.pk)
    marked = set(session.attendance.filter(present=True).values_list("enrollment_id", flat=True))
    rows = [(e, e.pk in marked) for e in enrollments]
    return render(request, "referrals/attendance.html", {"session": session, "rows": rows})


def _int_id(raw):
    return int(raw) if str(raw).isdigit() else None
