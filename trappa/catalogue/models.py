"""The service staircase: steps, offerings, their yearly costs, the action plan.

Texts a citizen reads exist per written language (nb, nn, en) as separate
fields `<name>_nb`, `<name>_nn`, `<name>_en`; `Translated.text()` picks the
asked-for language and falls back to the municipality's written standard, so
a missing translation shows the municipality's own text, never an empty page.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.module_loading import import_string
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from trappa.accounts.models import Municipality, Unit

LANGUAGES = ("nb", "nn", "en")
YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


def translated_fields(name, verbose, long=False, blank=False):
    """Three fields for one text: `{name}_nb`, `{name}_nn`, `{name}_en` (bokmål required)."""
    make = (lambda **kw: models.TextField(**kw)) if long else (lambda **kw: models.CharField(max_length=200, **kw))
    # format_lazy keeps the label lazy, so it is translated when shown, not at import.
    return {
        f"{name}_nb": make(verbose_name=format_lazy("{} (bokmål)", verbose), blank=blank),
        f"{name}_nn": make(verbose_name=format_lazy("{} (nynorsk)", verbose), blank=True),
        f"{name}_en": make(verbose_name=format_lazy("{} (English)", verbose), blank=True),
    }


class Translated:
    """Mixin: `text("name")` in the active language, with the municipality's fallback."""

    def language_order(self, language=None):
        language = (language or get_language() or "nb")[:2]
        default = self.get_municipality().written_standard
        return [lang for lang in dict.fromkeys([language, default, "nb", "nn", "en"]) if lang in LANGUAGES]

    def text(self, field, language=None):
        for lang in self.language_order(language):
            value = getattr(self, f"{field}_{lang}", "")
            if value:
                return value
        return ""

    def get_municipality(self):
        return self.municipality


class Step(Translated, models.Model):
    """One step of a municipality's staircase, lowest (position 1) first."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="steps")
    code = models.SlugField(_("code"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"), validators=[MinValueValidator(1)])
    locals().update(translated_fields("name", _("name")))
    locals().update(translated_fields("description", _("description"), long=True, blank=True))

    class Meta:
        ordering = ["municipality", "position"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="step_code_unique"),
            models.UniqueConstraint(fields=["municipality", "position"], name="step_position_unique"),
        ]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self):
        return f"{self.position}. {self.text('name')}"


class Location(models.Model):
    """A place where offerings happen; `outside_centre` marks villages and areas."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="locations")
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=200, blank=True)
    outside_centre = models.BooleanField(_("outside the centre"), default=False)
    # "At your home": the offering comes to you, wherever you live.
    at_home = models.BooleanField(_("at your home"), default=False)

    class Meta:
        ordering = ["municipality", "outside_centre", "name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="location_code_unique")]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self):
        return self.name


class PreventionLevel(models.TextChoices):
    PRIMARY = "primary", _("Primary prevention")
    SECONDARY = "secondary", _("Secondary prevention")
    TERTIARY = "tertiary", _("Tertiary prevention")


class Access(models.TextChoices):
    """How a citizen gets in: the first question on every offering page."""

    OPEN = "open", _("Open to all: just show up")
    SIGN_UP = "sign_up", _("Sign up")
    INVITATION = "invitation", _("You are invited")
    APPLICATION = "application", _("Apply to the municipality")
    DECISION = "decision", _("Needs a decision (vedtak) after an application")


class ProviderKind(models.TextChoices):
    UNIT = "unit", _("The municipality")
    VOLUNTEER = "volunteer", _("Volunteer organisation")
    SPECIALIST = "specialist", _("Specialist health service")
    PARTNER = "partner", _("Partner")


class TargetGroup(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    OLDER_UNDER_75 = "older_under_75", _("Older adults under 75")
    OLDER_75_79 = "older_75_79", _("Older adults 75–79")
    OLDER_80_PLUS = "older_80_plus", _("Older adults 80 and over")
    CAREGIVERS = "caregivers", _("Caregivers")
    CHILD_CAREGIVERS = "child_caregivers", _("Children as caregivers")
    BEREAVED = "bereaved", _("The bereaved")
    DISABILITY_BENEFIT = "disability_benefit", _("People on disability benefit")
    DISABLED = "disabled", _("People with disabilities")
    MENTAL_HEALTH = "mental_health", _("People with mental health or substance problems")
    DEMENTIA = "dementia", _("People with dementia")


class Theme(models.TextChoices):
    EXERCISE = "exercise", _("Exercise and balance")
    COMPANY = "company", _("Company and meeting others")
    COPING = "coping", _("Coping and mental health")
    INFORMATION = "information", _("Information and advice")
    RELIEF = "relief", _("Relief for caregivers")
    HOME = "home", _("Help at home")


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ESTABLISHED = "established", _("Established")
    EVALUATED = "evaluated", _("Evaluated")


class Funding(models.TextChoices):
    EXISTING = "existing", _("Existing budget")
    PROJECT = "project", _("Project funds")
    NEW = "new", _("New funds")
    PROJECT_AND_EXISTING = "project_existing", _("Project funds and existing budget")
    UNDECIDED = "undecided", _("Not decided")


@deconstructible
class ChoiceListValidator:
    """A JSON list whose every value is one of a TextChoices' values."""

    def __init__(self, choices_path):
        self.choices_path = choices_path

    def __call__(self, value):
        allowed = set(import_string(self.choices_path).values)
        if not isinstance(value, list) or any(v not in allowed for v in value):
            raise ValidationError(_("Choose from the listed values."))

    def __eq__(self, other):
        return isinstance(other, ChoiceListValidator) and other.choices_path == self.choices_path


class OfferingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Offering(Translated, models.Model):
    """What the municipality offers (tilbud), with everything a citizen needs to use it."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="offerings")
    code = models.SlugField(_("code"), max_length=80)
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="offerings", verbose_name=_("step"))
    published = models.BooleanField(_("shown on the public pages"), default=True)
    locals().update(translated_fields("name", _("name")))
    locals().update(translated_fields("summary", _("short description"), long=True))
    locals().update(translated_fields("description", _("long description"), long=True, blank=True))
    prevention_level = models.CharField(
        _("prevention level"), max_length=10, choices=PreventionLevel.choices, blank=True
    )
    target_groups = models.JSONField(
        _("target groups"),
        default=list,
        blank=True,
        validators=[ChoiceListValidator("trappa.catalogue.models.TargetGroup")],
    )
    themes = models.JSONField(
        _("themes"), default=list, blank=True, validators=[ChoiceListValidator("trappa.catalogue.models.Theme")]
    )
    access = models.CharField(_("how to get it"), max_length=12, choices=Access.choices)
    # Eligibility rules as data for trappa.catalogue.eligibility; see its docstring.
    eligibility = models.JSONField(_("eligibility rules"), default=list, blank=True)
    provider_kind = models.CharField(_("provider"), max_length=12, choices=ProviderKind.choices)
    provider_name = models.CharField(_("provider name"), max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("unit"))
    locations = models.ManyToManyField(Location, blank=True, related_name="offerings", verbose_name=_("locations"))
    locals().update(translated_fields("schedule", _("season and schedule"), long=True, blank=True))
    capacity_per_group = models.PositiveIntegerField(_("places per group"), null=True, blank=True)
    number_of_groups = models.PositiveIntegerField(_("number of groups"), null=True, blank=True)
    fee = models.DecimalField(
        _("fee (NOK)"), max_digits=9, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    locals().update(translated_fields("fee_note", _("about the fee"), blank=True))
    locals().update(translated_fields("sign_up", _("how to sign up"), long=True))
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    # Resources: who is responsible, for how long, and how far it has come.
    responsible = models.CharField(_("responsible"), max_length=200, blank=True)
    period_start = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True, validators=YEAR_VALIDATORS)
    period_end = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True, validators=YEAR_VALIDATORS)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ESTABLISHED)
    evaluation_year = models.PositiveSmallIntegerField(
        _("evaluation year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    objects = OfferingQuerySet.as_manager()

    class Meta:
        ordering = ["municipality", "step__position", "name_nb"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="offering_code_unique")]
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")

    def __str__(self):
        return self.text("name")

    def clean(self):
        if self.step_id and self.municipality_id and self.step.municipality_id != self.municipality_id:
            raise ValidationError({"step": _("The step belongs to another municipality.")})
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})


class YearlyCost(models.Model):
    """Resources one offering uses in one year, as the plan states them (NOK)."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="costs")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    staffing_percent = models.DecimalField(
        _("staffing (% of a full-time position)"),
        max_digits=6,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    wage_cost = models.PositiveIntegerField(_("wage cost"), default=0)
    running_cost = models.PositiveIntegerField(_("running cost"), default=0)
    one_off_cost = models.PositiveIntegerField(_("one-off cost"), default=0)
    one_off_note = models.CharField(_("what the one-off cost is for"), max_length=200, blank=True)
    funding = models.CharField(_("funding"), max_length=20, choices=Funding.choices, default=Funding.EXISTING)

    class Meta:
        ordering = ["offering", "year"]
        constraints = [models.UniqueConstraint(fields=["offering", "year"], name="yearly_cost_unique")]
        verbose_name = _("yearly cost")
        verbose_name_plural = _("yearly costs")

    @property
    def total(self):
        return self.wage_cost + self.running_cost + self.one_off_cost

    @property
    def staff_years(self):
        return self.staffing_percent / 100


class CaregiverInfo(Translated, models.Model):
    """The municipality's caregiver page: rights, and the caregiver coordinator."""

    municipality = models.OneToOneField(Municipality, on_delete=models.PROTECT, related_name="caregiver_info")
    locals().update(translated_fields("introduction", _("introduction"), long=True))
    locals().update(translated_fields("rights", _("your rights as a caregiver"), long=True))
    locals().update(translated_fields("coordinator_title", _("coordinator title")))
    coordinator_phone = models.CharField(_("phone"), max_length=30, blank=True)
    coordinator_email = models.EmailField(_("email"), blank=True)
    locals().update(translated_fields("coordinator_note", _("about the coordinator"), long=True, blank=True))

    class Meta:
        verbose_name = _("caregiver page")


class Version(models.Model):
    """One saved state of a catalogue object, kept for ever: who changed what, and when.

    `data` is the object's fields after the change (foreign keys as ids, many-to-
    many as sorted id lists), so any earlier state can be read back and compared.
    """

    model = models.CharField(max_length=50)
    object_id = models.PositiveBigIntegerField()
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)
    comment = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"])]

    COMMENTS = {
        "created": _("Created"),
        "edited": _("Edited"),
        "costs": _("Costs changed"),
        "load_catalogue": _("Loaded from the data files"),
    }

    @property
    def comment_label(self):
        return self.COMMENTS.get(self.comment, self.comment)


class ActionPlan(Translated, models.Model):
    """A plan with measures grouped by focus area, revised (rolled) once a year."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="action_plans")
    code = models.SlugField(_("code"), max_length=80)
    locals().update(translated_fields("name", _("name")))
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["municipality", "code"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="action_plan_code_unique")]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self):
        return self.text("name")

    def latest_revision(self):
        return self.revisions.order_by("-year").first()


class FocusArea(Translated, models.Model):
    """A focus area (innsatsområde) or strategy of a plan."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="focus_areas")
    code = models.SlugField(_("code"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"))
    locals().update(translated_fields("name", _("name")))

    class Meta:
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="focus_area_code_unique")]

    def __str__(self):
        return self.text("name")

    def get_municipality(self):
        return self.plan.municipality


class PlanRevision(models.Model):
    """One year's version of a plan. A new revision copies the previous one, which
    is then frozen: what was decided in earlier years stays as it was decided."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="revisions")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "year"]
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="plan_revision_year_unique")]

    def __str__(self):
        return f"{self.plan} {self.year}"

    @cached_property
    def is_frozen(self):
        return self.plan.revisions.filter(year__gt=self.year).exists()


class Measure(Translated, models.Model):
    """A measure (tiltak) in one revision of a plan.

    A measure that is an offering takes its staffing and costs from the
    offering's yearly costs, so one figure lives in one place; other measures
    carry their own `MeasureYear` rows.
    """

    revision = models.ForeignKey(PlanRevision, on_delete=models.CASCADE, related_name="measures")
    focus_area = models.ForeignKey(FocusArea, on_delete=models.PROTECT, related_name="measures")
    code = models.SlugField(_("code"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"))
    locals().update(translated_fields("title", _("measure")))
    responsible = models.CharField(_("responsible"), max_length=300, blank=True)
    period_start = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True, validators=YEAR_VALIDATORS)
    period_end = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True, validators=YEAR_VALIDATORS)
    funding = models.CharField(_("funding"), max_length=20, choices=Funding.choices, default=Funding.UNDECIDED)
    funding_note = models.CharField(_("about the funding"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    evaluation_year = models.PositiveSmallIntegerField(
        _("evaluation year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    step = models.ForeignKey(Step, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("step"))
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, null=True, blank=True, related_name="measures")
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["revision", "focus_area__position", "position"]
        constraints = [models.UniqueConstraint(fields=["revision", "code"], name="measure_code_unique")]

    def __str__(self):
        return self.text("title")

    def get_municipality(self):
        return self.revision.plan.municipality

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})

    def period_label(self):
        if self.period_start and self.period_end and self.period_end != self.period_start:
            return f"{self.period_start}–{self.period_end}"
        return str(self.period_start or "")


class MeasureYear(models.Model):
    """Staffing and cost of a measure in one year (NOK)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    staffing_percent = models.DecimalField(
        _("staffing (% of a full-time position)"),
        max_digits=6,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    cost = models.PositiveIntegerField(_("cost"), default=0)

    class Meta:
        ordering = ["measure", "year"]
        constraints = [models.UniqueConstraint(fields=["measure", "year"], name="measure_year_unique")]
