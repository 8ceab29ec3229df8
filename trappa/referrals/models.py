"""Referrals and their pathways (everyday rehabilitation, healthy-life prescription, the
intervention team after discharge, day rehabilitation, rehabilitation stays), the
first-contact mapping that ends in referrals, groups and courses with seats and waitlists, enrollments and attendance.

A referral's status changes are kept as rows (`ReferralStep`), so the report can
count how many were assessed relevant even after they completed, and the
waiting time is the time between the steps. Seats in a group are counted under
a row lock on the group (see services.enroll), never from a stale count.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappa.assessments.models import FactAnswer
from trappa.people.models import ServiceKind


class Source(models.TextChoices):
    # The referral sources named in seed 001 (Vefsn's rehabilitation plan).
    HOSPITAL = "hospital", _("Hospital")
    GP = "gp", _("General practitioner")
    HOME_SERVICES = "home_services", _("Home services")
    NURSING_HOME = "nursing_home", _("Nursing home")
    SERVICE_OFFICE = "service_office", _("Service office")
    HEALTH_STATION = "health_station", _("Health station for older adults")
    SELF = "self", _("The person")
    CAREGIVER = "caregiver", _("A caregiver")  # pårørende (docs/glossary.md)
    # The partners seed 000 §3.0 names as finding and referring people.
    FIRE_RESCUE = "fire_rescue", _("Fire and rescue service")
    DEMENTIA_TEAM = "dementia_team", _("Dementia team")
    VOLUNTEER = "volunteer", _("Volunteer sector")
    SPECIALIST = "specialist", _("Specialist health service")


class HealthyLifeReason(models.TextChoices):
    # The main reasons for a healthy-life prescription in seed 001 §5.3; the rest are "other".
    MUSCULOSKELETAL = "musculoskeletal", _("Muscles and skeleton")
    OVERWEIGHT = "overweight", _("Overweight")
    INACTIVITY = "inactivity", _("Inactivity")
    OTHER = "other", _("Other")


class Pathway(models.TextChoices):
    GENERAL = "general", _("Offering or service")
    EVERYDAY_REHABILITATION = "everyday_rehabilitation", _("Everyday rehabilitation")
    HEALTHY_LIFE = "healthy_life", _("Healthy-life prescription")
    # Seed 000 §2.5: «Innsatsteam etter sykehus/korttidsopphold».
    INTERVENTION_TEAM = "intervention_team", _("Intervention team after a hospital or short-term stay")
    # Seed 001 §9, action plan items 14, 15 and 23: «Dagrehabilitering».
    DAY_REHABILITATION = "day_rehabilitation", _("Day rehabilitation")
    # Seed 001 §7.1: a decision on a rehabilitation stay, with a rehabilitation plan.
    REHABILITATION_STAY = "rehabilitation_stay", _("Rehabilitation stay")


# Pathways that are a service in themselves: a referral to one needs no offering or service.
OWN_SERVICE_PATHWAYS = frozenset({Pathway.INTERVENTION_TEAM, Pathway.DAY_REHABILITATION, Pathway.REHABILITATION_STAY})

# The intervention team follows up after a hospital or a short-term stay (seed 000 §2.5), so
# its referrals come from the hospital or the nursing home (where the short-term places are, 001 §7.1).
DISCHARGE_SOURCES = frozenset({Source.HOSPITAL, Source.NURSING_HOME})

# Seed 001 §7.1: «Pasienter med vedtak om rehabiliteringsopphold får utarbeidet en
# rehabiliteringsplan har 1 time per dag fysioterapioppfølging.»
PHYSIOTHERAPY_MINUTES_PER_DAY = 60

# What a pathway records besides the referral itself (see Referral): the discharge date, the
# planned period, the ward and the occupational therapist's assessment.
PATHWAY_DETAILS = ("discharged_on", "planned_from", "planned_until", "ward", "aids_assessed_on")


class Status(models.TextChoices):
    REFERRED = "referred", _("Referred")
    RELEVANT = "relevant", _("Assessed: relevant")
    NOT_RELEVANT = "not_relevant", _("Assessed: not relevant")
    WAITING = "waiting", _("Waiting")
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    DECLINED = "declined", _("Declined")


# Which status may follow which: anything else is refused with a clear message.
TRANSITIONS = {
    Status.REFERRED: {Status.RELEVANT, Status.NOT_RELEVANT, Status.DECLINED},
    Status.RELEVANT: {Status.WAITING, Status.STARTED, Status.DECLINED},
    Status.WAITING: {Status.STARTED, Status.DECLINED},
    Status.STARTED: {Status.COMPLETED, Status.DROPPED_OUT},
}
CLOSED = frozenset({Status.NOT_RELEVANT, Status.COMPLETED, Status.DROPPED_OUT, Status.DECLINED})
NEEDS_REASON = frozenset({Status.NOT_RELEVANT, Status.DROPPED_OUT})
OPEN = frozenset(Status.values) - CLOSED

# The Frisklivssentral's structured follow-up lasts twelve weeks.
HEALTHY_LIFE_WEEKS = 12


class ReferralQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN)


class Referral(models.Model):
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    # To an offering of the catalogue, or to a decision-based service.
    offering = models.ForeignKey(
        "catalogue.Offering",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("offering"),
    )
    service = models.CharField(_("service"), max_length=30, choices=ServiceKind.choices, blank=True)
    pathway = models.CharField(_("pathway"), max_length=30, choices=Pathway.choices, default=Pathway.GENERAL)
    source = models.CharField(_("referred by"), max_length=20, choices=Source.choices)
    reason = models.TextField(_("reason for the referral"), blank=True)
    # The reason as a category, for the Frisklivssentral's statistics.
    reason_category = models.CharField(
        _("reason, category"), max_length=20, choices=HealthyLifeReason.choices, blank=True
    )
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    referred_on = models.DateField(_("referred on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REFERRED)
    status_on = models.DateField(_("status since"))
    # Why not relevant, why dropped out, why declined.
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Everyday rehabilitation: the person's own goals ("what is important to you now?").
    goals = models.TextField(_("what is important to you now?"), blank=True)
    visits = models.PositiveIntegerField(_("visits"), default=0)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    follow_up_until = models.DateField(_("follow-up until"), null=True, blank=True)
    # The intervention team: the day the person came home from the hospital or the short-term stay.
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    # The planned period: of a rehabilitation stay (its plan), of day rehabilitation, or of the
    # intervention team's follow-up at home. The plans give no length, so staff fill it in.
    planned_from = models.DateField(_("planned from"), null=True, blank=True)
    planned_until = models.DateField(_("planned until"), null=True, blank=True)
    # A rehabilitation stay: the ward (seed 001 §7.1 names LMS and Solina) and the occupational
    # therapist's assessment of assistive devices and adaptation of the home.
    ward = models.CharField(_("ward"), max_length=100, blank=True)
    aids_assessed_on = models.DateField(
        _("assistive devices and adaptation of the home assessed on"), null=True, blank=True
    )
    # The first-contact mapping the referral came from, if any.
    mapping = models.ForeignKey(
        "FirstContactMapping", on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    care_relationship = models.ForeignKey(
        "audit.CareRelationship", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(offering__isnull=False) | ~Q(service="") | Q(pathway__in=sorted(OWN_SERVICE_PATHWAYS)),
                name="referral_has_offering_or_service",
            ),
            models.CheckConstraint(
                condition=Q(planned_until__isnull=True)
                | Q(planned_from__isnull=True)
                | Q(planned_until__gte=models.F("planned_from")),
                name="referral_planned_period_in_order",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "referred_on"]), models.Index(fields=["unit", "status"])]

    def __str__(self):
        return f"{_('Referral')} {self.pk}"

    @property
    def target(self):
        if self.offering_id:
            return self.offering.text("name")
        return self.get_service_display() if self.service else self.get_pathway_display()

    @property
    def has_own_service_pathway(self):
        return self.pathway in OWN_SERVICE_PATHWAYS

    @property
    def is_closed(self):
        return self.status in CLOSED

    @property
    def duration_days(self):
        if self.started_on and self.ended_on:
            return (self.ended_on - self.started_on).days
        return None

    def allowed_next(self):
        return [s for s in Status if s in TRANSITIONS.get(self.status, ())]


class ReferralStep(models.Model):
    """One status change of a referral, with its date: the referral's history."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(max_length=20, choices=Status.choices)
    on = models.DateField()
    reason = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "id"]


class PhysiotherapySession(models.Model):
    """A day's physiotherapy follow-up during a rehabilitation stay: one row per day (seed 001 §7.1)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="physiotherapy")
    on = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(
        _("minutes"),
        default=PHYSIOTHERAPY_MINUTES_PER_DAY,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "on"], name="one_physiotherapy_session_per_day"),
            models.CheckConstraint(condition=Q(minutes__gte=1), name="physiotherapy_session_minutes"),
        ]


class ContactKind(models.TextChoices):
    # Seed 001 §5.1: the hverdagsmestring project maps those who apply for home services for the first time.
    HOME_SERVICES_APPLICATION = "home_services_application", _("First application for home services")
    # Seed 004 §5.2: Nord-Aurdal's early intervention, «kartlegging ved første henvendelse».
    FIRST_CONTACT = "first_contact", _("First contact with the municipality")


class FirstContactMapping(models.Model):
    """The short mapping at first contact (hverdagsmestring, early intervention), in the plans' words.

    What matters to the person and what is hard come from seed 001 §2 («Hva er viktig for deg?»,
    «Hva erfares som utfordringer og hindringer for selvstendighet og ønsket deltakelse?») and
    §5.1 («Hva er viktige aktiviteter for deg nå?»); the person's own resources and the four
    questions from §5.1 «Å fremme selvstendighet». The answers lead to suggestions (mapping.py).
    """

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="first_contact_mappings")
    kind = models.CharField(_("contact"), max_length=30, choices=ContactKind.choices)
    source = models.CharField(_("mapped by"), max_length=20, choices=Source.choices)
    mapped_on = models.DateField(_("mapped on"))
    what_matters = models.TextField(_("What are important activities for you now?"), blank=True)
    challenges = models.TextField(
        _("What do you find hard, and what stands in the way of independence and the participation you want?"),
        blank=True,
    )
    resources = models.TextField(_("The person's own resources"), blank=True)
    can_train = models.CharField(
        _("Is there something the person can train on to become more independent?"),
        max_length=3,
        choices=FactAnswer.choices,
        blank=True,
    )
    medical_conditions = models.CharField(
        _("Are there medical conditions that affect the situation?"),
        max_length=3,
        choices=FactAnswer.choices,
        blank=True,
    )
    surroundings = models.CharField(
        _("Is there something in the surroundings that can be changed or adapted?"),
        max_length=3,
        choices=FactAnswer.choices,
        blank=True,
    )
    welfare_technology = models.CharField(
        _("Can welfare technology be of use?"), max_length=3, choices=FactAnswer.choices, blank=True
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-mapped_on", "-id"]

    def __str__(self):
        return f"{_('First-contact mapping')} {self.pk}"


class Moment(models.TextChoices):
    START = "start", _("At the start")
    END = "end", _("At the end")


class OutcomeMeasurement(models.Model):
    """An instrument (SPPB) at the start or end of a pathway, scored by the instrument engine.

    A test the person could not do is recorded as `not_tested` with the reason,
    so the report can tell "not tested" from "not recorded".
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="measurements")
    moment = models.CharField(max_length=5, choices=Moment.choices)
    instrument_id = models.CharField(max_length=50, default="sppb")
    instrument_version = models.CharField(max_length=30, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    total = models.IntegerField(null=True, blank=True)
    not_tested = models.BooleanField(default=False)
    not_tested_reason = models.CharField(max_length=300, blank=True)
    measured_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["referral", "moment", "instrument_id"], name="one_measurement_per_moment"),
            models.CheckConstraint(condition=Q(not_tested=True) | Q(total__isnull=False), name="measurement_scored"),
        ]


class Group(models.Model):
    """A run of an offering: a group or course with seats, sessions and a leader."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    offering = models.ForeignKey("catalogue.Offering", on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("name"), max_length=200)
    location = models.ForeignKey(
        "catalogue.Location", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("location")
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("leader"),
    )
    # A volunteer instructor has no login: the name is enough.
    volunteer_leader = models.CharField(_("volunteer instructor"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("seats"))
    fee = models.DecimalField(_("fee"), max_digits=8, decimal_places=2, default=0)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    requires_pre_course_conversation = models.BooleanField(_("a conversation before the course"), default=False)
    # How long a freed seat stays offered before it expires and goes to the next on the waitlist.
    offer_answer_days = models.PositiveSmallIntegerField(
        _("days to answer an offered seat"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_(
            "An offered seat not answered within this many days expires and is offered to the next on the "
            "waitlist. Empty: the municipality's days to answer an offer (letter settings)."
        ),
    )
    # Arrival order: the next number handed out under the group's row lock.
    next_sequence = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["starts_on", "name"]

    def __str__(self):
        return self.name

    @property
    def leader_name(self):
        return self.leader.get_full_name() if self.leader_id else self.volunteer_leader


class Session(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))

    class Meta:
        ordering = ["starts_at"]


class EnrollmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    OFFERED = "offered", _("Offered a freed seat")
    WAITLISTED = "waitlisted", _("On the waitlist")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECLINED = "declined", _("Declined the offered seat")
    EXPIRED = "expired", _("Expired: the offered seat was not answered in time")
    COMPLETED = "completed", _("Completed")


# Statuses that hold a seat: an offered seat is kept until answered (or until its answer-by date passes).
SEATED = frozenset({EnrollmentStatus.ENROLLED, EnrollmentStatus.OFFERED})
ACTIVE = SEATED | {EnrollmentStatus.WAITLISTED}
# The seats of the group's run that are taken: a participant who completed keeps the seat they used,
# so completing frees no seat for the waitlist.
TAKEN = SEATED | {EnrollmentStatus.COMPLETED}


class Enrollment(models.Model):
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="enrollments")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(max_length=12, choices=EnrollmentStatus.choices)
    # Waitlist order: higher priority first, then arrival order.
    priority = models.SmallIntegerField(_("priority"), default=0)
    sequence = models.PositiveIntegerField()
    pre_course_conversation_on = models.DateField(_("conversation before the course"), null=True, blank=True)
    # The last day to answer an offered seat (set when the seat is offered); the nightly
    # `expire_offers` expires it the day after and offers the seat to the next.
    offer_expires_on = models.DateField(_("answer by"), null=True, blank=True)
    fee_paid = models.BooleanField(_("fee paid"), default=False)
    # Who marked the fee paid, and when (cleared when it is marked not paid); the access log keeps every change.
    fee_paid_at = models.DateTimeField(null=True, blank=True)
    fee_paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status_at = models.DateTimeField(default=timezone.now)
    care_relationship = models.ForeignKey(
        "audit.CareRelationship", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["group", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["group", "sequence"], name="enrollment_sequence_unique"),
            models.UniqueConstraint(
                fields=["group", "person"], condition=Q(status__in=sorted(ACTIVE)), name="one_active_enrollment"
            ),
        ]


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "enrollment"], name="attendance_unique")]


class PlanAnswer(models.TextChoices):
    PENDING = "pending", _("Not answered yet")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ServiceArea(models.TextChoices):
    # The services an IP user belongs to in seed 001 §4.2.
    HOME = "home", _("At home (family)")
    ENVIRONMENTAL_THERAPY = "environmental_therapy", _("Environmental therapy service (Miljøterapitjenesten)")
    HOME_SERVICES = "home_services", _("Home services")
    SUBSTANCE_PSYCHIATRY = "substance_psychiatry", _("Substance use and psychiatry service")


class IndividualPlan(models.Model):
    """A person's right to an individual plan (IP), their answer, and the coordinator."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="individual_plans")
    entitled_on = models.DateField(_("right to an individual plan assessed on"))
    answer = models.CharField(_("answer"), max_length=10, choices=PlanAnswer.choices, default=PlanAnswer.PENDING)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_plans",
        verbose_name=_("coordinator"),
    )
    coordinator_relationship = models.ForeignKey(
        "audit.CareRelationship", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    service_area = models.CharField(_("service area"), max_length=30, choices=ServiceArea.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-entitled_on", "-id"]


class ResponsibilityGroupMember(models.Model):
    plan = models.ForeignKey(IndividualPlan, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role or service"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]


class PlanGoal(models.Model):
    plan = models.ForeignKey(IndividualPlan, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=500)

    class Meta:
        ordering = ["id"]


class PlanMeasure(models.Model):
    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="measures")
    text = models.CharField(_("measure"), max_length=500)
    responsible = models.CharField(_("responsible"), max_length=200)
    due_on = models.DateField(_("due"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["id"]
