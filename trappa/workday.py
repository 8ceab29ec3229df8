"""Min arbeidsdag: what each role has to do today, as counts that link to their lists.

Counts only, never names: the lists they link to show the persons (through their
access helpers, which log). A count is shown only when the user's role may open
its list (the route declarations, as the menu reads them), so the start page
never offers a refusal.
"""

import datetime

from django.db.models import Count, Q
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappa.accounts.models import Role, User
from trappa.accounts.routes import may_open
from trappa.assessments.models import HomeVisit
from trappa.audit.models import EmergencyAccess
from trappa.caregivers.models import Agreement, MappingPrompt
from trappa.outreach.models import Contact, WorklistCounts, WorklistEntry
from trappa.people.access import visible_persons
from trappa.planning.models import PlanningRun
from trappa.referrals.models import TAKEN, EnrollmentStatus, Group, Referral, Session, Status

AGREEMENTS_DUE_DAYS = 30  # agreements to review within this many days count as due


def tasks(user):
    """The start page's tasks for `user`: a list of {label, count, url, note}, most urgent first."""
    if not user.is_authenticated or not user.role:
        return []
    today = timezone.localdate()
    found = []
    for builder in BUILDERS.get(user.role, []):
        found += builder(user, today)
    return [task for task in found if may_open(user, resolve(task["url"].split("?")[0]).func)]


def course_groups(user, today):
    """The course leader's own groups still running, with seats taken, waitlist and open offers."""
    q = Group.objects.filter(leader=user, municipality=user.municipality)
    q = q.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today)).select_related("offering")
    q = q.annotate(
        seated=Count("enrollments", filter=Q(enrollments__status__in=list(TAKEN))),
        waiting=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.WAITLISTED)),
        offered=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.OFFERED)),
    )
    return list(q.order_by("starts_on", "name"))


def _task(label, count, url_name, *args, note=""):
    return {"label": label, "count": count, "url": reverse(url_name, args=args), "note": note}


def _nurse(user, today):
    urgent, on_list = _worklist_counts(user)
    reminders = Contact.objects.filter(by=user, remind_on__lte=today).count()
    visits = HomeVisit.objects.filter(visited_by=user, visited_on=today).count()
    return [
        _task(_("Urgent on the worklist (priority 1–2)"), urgent, "outreach:worklist"),
        _task(_("On the worklist in all"), on_list, "outreach:worklist"),
        _task(_("Contacts to follow up (reminder due)"), reminders, "outreach:worklist"),
        _task(_("Home visits recorded today"), visits, "outreach:worklist"),
    ]


def _worklist_counts(user):
    """(urgent, in all) on the user's worklist: the build's counts for the unit that holds the list
    (trappa/outreach/listing.py), else counted over what the user may see."""
    counts = WorklistCounts.objects.filter(municipality_id=user.municipality_id, unit_id=user.unit_id).first()
    if counts is not None and user.unit_id is not None:
        return sum(n for p, n in counts.by_priority.items() if int(p) <= 2), counts.total
    entries = WorklistEntry.objects.filter(municipality=user.municipality, person__in=visible_persons(user))
    return entries.filter(priority__lte=2).count(), entries.count()


def _referrals(user, today):
    referrals = Referral.objects.filter(unit_id=user.unit_id)
    new = referrals.filter(status=Status.REFERRED).count()
    waiting = referrals.filter(status__in=[Status.RELEVANT, Status.WAITING]).count()
    return [
        _task(_("New referrals to your unit, to assess"), new, "referrals:waitlists"),
        _task(_("Referrals to your unit waiting to start"), waiting, "referrals:waitlists"),
    ]


def _course_leader(user, today):
    groups = course_groups(user, today)
    week_end = today + datetime.timedelta(days=7)
    sessions = Session.objects.filter(
        group__in=[g.pk for g in groups], starts_at__date__gte=today, starts_at__date__lt=week_end
    )
    items = [
        _task(
            _("Offers of a seat awaiting an answer"),
            sum(g.offered for g in groups),
            "referrals:groups",
        ),
        _task(_("Sessions this week (attendance to mark)"), sessions.count(), "referrals:groups"),
        _task(_("People on the waitlists of your groups"), sum(g.waiting for g in groups), "referrals:groups"),
    ]
    for group in groups:
        note = _("%(seated)s of %(capacity)s seats taken, %(waiting)s waiting") % {
            "seated": group.seated,
            "capacity": group.capacity,
            "waiting": group.waiting,
        }
        items.append(_task(group.name, group.seated, "referrals:group", group.pk, note=note))
    return items


def _caregivers(user, today):
    prompts = MappingPrompt.objects.filter(done_at__isnull=True, link__recipient__municipality=user.municipality)
    agreements = Agreement.objects.filter(
        link__recipient__municipality=user.municipality,
        review_date__lte=today + datetime.timedelta(days=AGREEMENTS_DUE_DAYS),
    )
    return [
        _task(_("Caregiver mappings due"), prompts.filter(due__lte=today).count(), "caregivers:worklist"),
        _task(_("Caregiver mappings to do"), prompts.count(), "caregivers:worklist"),
        _task(_("Collaboration agreements to review within 30 days"), agreements.count(), "caregivers:worklist"),
        _task(_("Respite beds: the plan and its warnings"), None, "respite:plan"),
    ]


def _unit_leader(user, today):
    unit_users = User.objects.filter(unit_id=user.unit_id, municipality=user.municipality)
    if user.unit_id is None:
        unit_users = unit_users.none()
    since = timezone.now() - datetime.timedelta(days=30)
    emergencies = EmergencyAccess.objects.filter(user__in=unit_users, granted_at__gte=since)
    pending = User.objects.filter(municipality=user.municipality, is_active=True, role="").count()
    return [
        _task(_("Emergency accesses in your unit, last 30 days"), emergencies.count(), "audit:review"),
        _task(_("Active emergency accesses now"), emergencies.active().count(), "audit:review"),
        _task(_("Users waiting for a role"), pending, "accounts:users"),
    ]


def _planner(user, today):
    runs = PlanningRun.objects.filter(municipality=user.municipality)
    return [
        _task(_("Projection runs"), runs.count(), "planning:index"),
        _task(_("Action plans and budget"), None, "catalogue:plans"),
        _task(_("Acceptance rate of the outreach"), None, "outreach:acceptance"),
    ]


def _administrator(user, today):
    users = User.objects.filter(municipality=user.municipality)
    return [
        _task(_("Users waiting for a role"), users.filter(is_active=True, role="").count(), "accounts:users"),
        _task(_("Active users"), users.filter(is_active=True).count(), "accounts:users"),
        _task(_("Units and departments"), None, "accounts:units"),
        _task(_("Imports and jobs"), None, "jobs:list"),
    ]


BUILDERS = {
    Role.NURSE: [_nurse, _referrals],
    Role.THERAPIST: [_referrals],
    Role.COURSE_LEADER: [_course_leader],
    Role.CASEWORKER: [_caregivers, _referrals],
    Role.CAREGIVER_COORDINATOR: [_caregivers],
    Role.UNIT_LEADER: [_unit_leader, _referrals],
    Role.PLANNER: [_planner],
    Role.ADMINISTRATOR: [_administrator],
}
