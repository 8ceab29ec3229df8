"""Letters to citizens and caregivers: the municipality's wording (versioned), its privacy
notice settings, and the record of each letter sent."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappa.accounts.models import Municipality


class Language(models.TextChoices):
    BOKMAL = "nb", _("Bokmål")
    NYNORSK = "nn", _("Nynorsk")
    ENGLISH = "en", _("English")


class WordingQuerySet(models.QuerySet):
    def current(self, municipality, name, language):
        """The newest version, or None (then the default text in trappa/letters/texts applies)."""
        q = self.filter(municipality=municipality, name=name, language=language)
        return q.order_by("-version").first()


class Wording(models.Model):
    """One version of a letter's text, as the municipality edited it. Versions are never changed:
    an edit adds the next one, so a sent letter names the exact text it carried."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    name = models.SlugField(_("letter"), max_length=50)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = WordingQuerySet.as_manager()

    class Meta:
        ordering = ["municipality", "name", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name", "language", "version"], name="wording_version_unique"
            )
        ]
        verbose_name = _("letter text")
        verbose_name_plural = _("letter texts")


class LetterSettings(models.Model):
    """What the municipality's letters say about the law and privacy, and how long an offer stays open."""

    municipality = models.OneToOneField(Municipality, on_delete=models.PROTECT, related_name="letter_settings")
    legal_basis_nb = models.TextField(_("legal basis (bokmål)"), blank=True)
    legal_basis_nn = models.TextField(_("legal basis (nynorsk)"), blank=True)
    legal_basis_en = models.TextField(_("legal basis (English)"), blank=True)
    retention_nb = models.TextField(_("how long the data is kept (bokmål)"), blank=True)
    retention_nn = models.TextField(_("how long the data is kept (nynorsk)"), blank=True)
    retention_en = models.TextField(_("how long the data is kept (English)"), blank=True)
    dpo_name = models.CharField(_("data protection officer"), max_length=200, blank=True)
    dpo_email = models.EmailField(_("data protection officer's email"), blank=True)
    dpo_phone = models.CharField(_("data protection officer's phone"), max_length=30, blank=True)
    answer_days = models.PositiveSmallIntegerField(
        _("days to answer an offer"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("An offer's answer-by date is this many days after the letter is printed."),
    )

    class Meta:
        verbose_name = _("letter settings")
        verbose_name_plural = _("letter settings")

    @classmethod
    def for_municipality(cls, municipality):
        """The saved settings, or unsaved defaults."""
        found = cls.objects.filter(municipality=municipality).first()
        return found or cls(municipality=municipality)


class SentLetter(models.Model):
    """A letter made for a person: which text (name, language, version), when, by whom.

    `reference` names what the letter is about (a batch job, an enrollment, an agreement version ...):
    printing the same letter again finds this row instead of adding one."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="letters_sent")
    name = models.SlugField(_("letter"), max_length=50)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    wording_version = models.PositiveIntegerField(_("text version"))
    reference = models.CharField(max_length=100)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    sent_at = models.DateTimeField(_("made"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "name", "reference"], name="sent_letter_once_per_reference")
        ]
        verbose_name = _("letter sent")
        verbose_name_plural = _("letters sent")
