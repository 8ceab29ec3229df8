"""What changes day-care places. Enrolling, the waitlist and offers are the referrals app's services."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappa.daycare.models import WEEKDAY_CHOICES, WEEKDAYS, AttendanceDays, DayCarePlace, Kind, TimeOfDay
from trappa.referrals import services as groups
from trappa.referrals.models import ACTIVE, SEATED, Enrollment, EnrollmentStatus, Group


@transaction.atomic
def create_place(offering, *, name, kind, time_of_day, weekdays, capacity, starts_on, holidays=False, location=None):
    """A new day-care place: the group that holds its seats and waitlist, and the day-care details."""
    weekdays = "".join(day for day in WEEKDAYS if day in set(weekdays))
    if not weekdays:
        raise ValidationError(_("Choose the weekdays the place is open."))
    if capacity < 0:
        raise ValidationError(_("The number of places cannot be negative."))
    group = Group.objects.create(
        municipality=offering.municipality,
        offering=offering,
        name=name,
        location=location,
        capacity=capacity,
        starts_on=starts_on,
    )
    return DayCarePlace.objects.create(
        group=group, kind=kind, time_of_day=time_of_day, weekdays=weekdays, holidays=holidays
    )


def set_capacity(place, capacity):
    """Change the number of places; new places are offered to the waitlist at once (highest priority,
    then who came first). Under the group's row lock, as every enrollment change, so a place is never
    offered twice and never fewer places than persons holding one. Returns the enrollments offered."""
    with transaction.atomic():
        group = groups.locked_group(place.group_id)
        # Persons on different weekdays share a place (enroll_on_days): the busiest day counts.
        seated = busiest_day(place)
        if capacity < seated:
            raise ValidationError(
                _("%(seated)d persons hold a place: withdraw some before lowering the places to %(capacity)d."),
                params={"seated": seated, "capacity": capacity},
            )
        group.capacity = capacity
        group.save(update_fields=["capacity"])
        offered = []
        while (enrollment := groups.offer_freed_seat(group)) is not None:
            offered.append(enrollment)
    place.group.capacity = capacity
    return offered


def running(municipality, on=None):
    """The places open on `on` (today by default), with their seats, offers and waitlist counted."""
    on = on or timezone.localdate()
    q = DayCarePlace.objects.filter(group__municipality=municipality, group__starts_on__lte=on)
    q = q.filter(Q(group__ends_on__isnull=True) | Q(group__ends_on__gte=on))
    status = "group__enrollments__status"
    return q.select_related("group__offering", "group__location").annotate(
        enrolled=Count("group__enrollments", filter=Q(**{status: EnrollmentStatus.ENROLLED})),
        offered=Count("group__enrollments", filter=Q(**{status: EnrollmentStatus.OFFERED})),
        waiting=Count("group__enrollments", filter=Q(**{status: EnrollmentStatus.WAITLISTED})),
    )


def weekday_grid(places):
    """[(kind label, time-of-day label, [places on Monday … Sunday])] for the kinds and times that have places."""
    grid = {}
    for place in places:
        row = grid.setdefault((place.kind, place.time_of_day), [0] * 7)
        for day in place.weekdays:
            row[int(day) - 1] += place.group.capacity
    order = [(k, t) for k in Kind.values for t in TimeOfDay.values]
    return [(Kind(k).label, TimeOfDay(t).label, grid[k, t]) for k, t in order if (k, t) in grid]


def days_of(enrollment, place):
    """The weekdays a person holding a place comes: their own part of the week, or every open day."""
    own = getattr(enrollment, "day_care_days", None)
    return own.weekdays if own else place.weekdays


def _chosen(weekdays, place):
    """`weekdays` in order, checked to be some of the days the place is open."""
    wanted = "".join(day for day in WEEKDAYS if day in set(weekdays))
    if not wanted:
        raise ValidationError(_("Choose the weekdays the person comes."))
    if set(wanted) - set(place.weekdays):
        raise ValidationError(_("The place is not open on every day chosen."))
    return wanted


def _refuse_full_days(group, place, wanted, changing=None):
    """Refuse `wanted` if on any of its days every place is taken by those coming that day (all holding
    or offered the place but `changing`, the enrollment whose days are being set). Call under the lock."""
    others = Enrollment.objects.filter(group=group, status__in=list(SEATED)).select_related("day_care_days")
    if changing is not None:
        others = others.exclude(pk=changing.pk)
    coming = attendance([place], others)[place.pk]
    full = [day for day in wanted if coming[int(day) - 1] >= group.capacity]
    if full:
        names = dict(WEEKDAY_CHOICES)
        raise ValidationError(
            _("Every place is taken on %(days)s."), params={"days": ", ".join(str(names[day]) for day in full)}
        )


def enroll_on_days(place, person, weekdays):
    """Give a person the place on `weekdays` (some or all of its open days) if on each of them fewer persons
    come than the place has places: two persons on different days (Monday to Wednesday, Thursday and Friday)
    share one place. Refused, writing nothing, if a day is full or the person already holds or waits for the
    place. Under the group's row lock, as every change of who holds a place, so two requests for the last free
    days queue on it and the second is refused.

    The group machinery (enrolling, offering a freed place) gives a place to a person who comes every open day
    and counts the busiest day (busiest_day); this counts the chosen days. Like setting a person's days, it is
    the service office's decision: day care is granted by decision, not by queue."""
    with transaction.atomic():
        group = groups.locked_group(place.group_id)
        place = DayCarePlace.objects.select_related("group").get(group=group)
        wanted = _chosen(weekdays, place)
        if group.enrollments.filter(person=person, status__in=list(ACTIVE)).exists():
            raise ValidationError(_("The person already holds or waits for this place: change their weekdays."))
        _refuse_full_days(group, place, wanted)
        enrollment = groups.enroll(group, person, seat=True)
        if wanted != place.weekdays:
            AttendanceDays.objects.create(enrollment=enrollment, weekdays=wanted)
    return enrollment


def set_days(enrollment, weekdays):
    """Let a person hold their place part of the week: on `weekdays` (some of the days the place is open),
    or every open day again when `weekdays` are all of them. Refused if that puts more persons on a day
    than the place has places (persons on different days may share a place, enroll_on_days). Under the
    group's row lock, as every change of who holds a place; the days a person does not come show as free
    day places."""
    with transaction.atomic():
        group = groups.locked_group(enrollment.group_id)
        place = DayCarePlace.objects.select_related("group").get(group=group)
        wanted = _chosen(weekdays, place)
        enrollment = Enrollment.objects.select_related("day_care_days").get(pk=enrollment.pk)
        if enrollment.status not in SEATED:
            raise ValidationError(_("Only a person holding or offered the place has weekdays at it."))
        _refuse_full_days(group, place, wanted, changing=enrollment)
        if wanted == place.weekdays:
            AttendanceDays.objects.filter(enrollment=enrollment).delete()
        else:
            AttendanceDays.objects.update_or_create(enrollment=enrollment, defaults={"weekdays": wanted})
    return wanted


def busiest_day(place):
    """The persons coming on a day-care place's busiest open day.

    Registered as the group machinery's seat count (apps.py): a person on the waitlist comes every open day,
    so a place is free for them only when it is free on every day, and a place shared by persons coming on
    different weekdays is one place taken, not two."""
    coming = attendance([place])[place.pk]
    return max(coming[int(day) - 1] for day in place.weekdays)


def attendance(places, enrollments=None):
    """{place id: [persons coming on Monday … Sunday]}: those holding or offered the place, each on their days."""
    by_group = {place.group_id: place for place in places}
    coming = {place.pk: [0] * 7 for place in places}
    if enrollments is None:
        enrollments = Enrollment.objects.filter(group_id__in=list(by_group), status__in=list(SEATED))
        enrollments = enrollments.select_related("day_care_days")
    for enrollment in enrollments:
        place = by_group[enrollment.group_id]
        for day in days_of(enrollment, place):
            coming[place.pk][int(day) - 1] += 1
    return coming


def weekday_use(places):
    """[(kind label, time-of-day label, [(places, coming) on Monday … Sunday])]: the places open each day
    and the persons who come that day, so a day left free by those who come part of the week shows."""
    coming = attendance(places)
    grid = {}
    for place in places:
        row = grid.setdefault((place.kind, place.time_of_day), [[0, 0] for _day in WEEKDAYS])
        for day in place.weekdays:
            row[int(day) - 1][0] += place.group.capacity
            row[int(day) - 1][1] += coming[place.pk][int(day) - 1]
    order = [(k, t) for k in Kind.values for t in TimeOfDay.values]
    return [
        (Kind(k).label, TimeOfDay(t).label, [tuple(cell) for cell in grid[k, t]]) for k, t in order if (k, t) in grid
    ]


@dataclass(frozen=True)
class KindSummary:
    kind: str
    places: int  # persons who can hold a place at the same time
    seated: int  # persons holding or offered a place
    waiting: int  # distinct persons on a waitlist of this kind
    extra: int  # the scenario's extra places

    @property
    def label(self):
        return Kind(self.kind).label

    @property
    def still_waiting(self):
        return max(0, self.waiting - self.extra)


def scenario(municipality, extra, on=None):
    """Per kind: places, persons holding one, persons waiting, and those still waiting with `extra` places
    ({kind: places added}). A person waiting for two places of one kind counts once."""
    places = list(running(municipality, on))
    waiting = (
        Group.objects.filter(day_care__in=places)
        .filter(enrollments__status=EnrollmentStatus.WAITLISTED)
        .values("day_care__kind")
        .annotate(persons=Count("enrollments__person", distinct=True))
    )
    waiting = {row["day_care__kind"]: row["persons"] for row in waiting}
    rows = []
    for kind in Kind.values:
        mine = [p for p in places if p.kind == kind]
        rows.append(
            KindSummary(
                kind,
                sum(p.group.capacity for p in mine),
                sum(p.enrolled + p.offered for p in mine),
                waiting.get(kind, 0),
                extra.get(kind, 0),
            )
        )
    return rows
