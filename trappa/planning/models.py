"""Stored SSB projections and planning runs. Aggregates only: no person here."""

import io

import numpy as np
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappa.accounts.models import Municipality
from trappa.planning.assumptions import describe


class ProjectionDataset(models.Model):
    """One imported SSB projection file (or a synthetic sample in SSB's format), or a projection
    derived from a municipality's own register (origin "register", register_population.py)."""

    class Origin(models.TextChoices):
        FILE = "file", _("SSB projection file")
        REGISTER = "register", _("Derived from our own register")

    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("table title"), max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, unique=True)
    alternatives = models.JSONField(_("projection alternatives"), default=list)
    first_year = models.PositiveIntegerField(_("first year"))
    last_year = models.PositiveIntegerField(_("last year"))
    synthetic = models.BooleanField(_("synthetic figures"), default=False)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices, default=Origin.FILE)
    # For a register-derived projection: the reference date, counts, births and every assumption with its source.
    assumptions = models.JSONField(_("assumptions"), default=dict, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("population projection")

    def __str__(self):
        return f"{self.name} ({self.first_year}–{self.last_year})"

    @property
    def register_derived(self):
        return self.origin == self.Origin.REGISTER

    def assumption_lines(self):
        """The assumptions of a register-derived projection as sentences (none for SSB's files)."""
        return describe(self)


class PopulationSeries(models.Model):
    """A municipality's projected population: (alternatives, 2 sexes, 106 ages, years) as .npy bytes."""

    dataset = models.ForeignKey(ProjectionDataset, on_delete=models.CASCADE, related_name="series")
    region = models.CharField(_("municipality number"), max_length=4)
    region_name = models.CharField(_("municipality"), max_length=100)
    data = models.BinaryField()

    class Meta:
        ordering = ["region_name"]
        constraints = [models.UniqueConstraint(fields=["dataset", "region"], name="population_series_unique")]

    def __str__(self):
        return f"{self.region} {self.region_name}"

    @staticmethod
    def pack(array):
        buffer = io.BytesIO()
        np.save(buffer, np.asarray(array, dtype=np.float64), allow_pickle=False)
        return buffer.getvalue()

    def array(self):
        return np.load(io.BytesIO(bytes(self.data)), allow_pickle=False)


class PlanningRun(models.Model):
    """A projection with its inputs, parameter versions and seed: re-running gives the same numbers."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="planning_runs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    name = models.CharField(_("name"), max_length=200)
    dataset = models.ForeignKey(ProjectionDataset, on_delete=models.PROTECT, related_name="runs")
    region = models.CharField(_("municipality number"), max_length=4)
    region_name = models.CharField(_("municipality"), max_length=100)
    # The form's cleaned inputs: horizon, draws, rate source, each intervention's mode and overrides.
    inputs = models.JSONField(default=dict)
    parameters_on = models.DateField(_("parameters valid on"))
    parameter_versions = models.JSONField(default=dict)
    parameter_checksums = models.JSONField(default=dict)
    # Register aggregates used for calibration, kept so a re-run does not depend on today's register.
    calibration = models.JSONField(default=dict)
    seed = models.PositiveIntegerField(_("seed"))
    draws = models.PositiveIntegerField(_("draws"))
    results = models.JSONField(default=dict)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("planning run")

    def __str__(self):
        return self.name


class Reconciliation(models.Model):
    """Another model's result (a consultant's scenario) to be explained next to Trappa's runs.

    Solved on the population and rates of one of Trappa's runs (`run`): what one
    would have to believe to reproduce it (trappa/planning/reconcile.py).
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="reconciliations")
    run = models.ForeignKey(PlanningRun, on_delete=models.PROTECT, related_name="reconciliations")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    name = models.CharField(_("name of the other model's scenario"), max_length=200)
    source = models.TextField(_("where the figures are published"), blank=True)
    year = models.PositiveIntegerField(_("year"))
    institution = models.FloatField(_("change of institution users"), null=True, blank=True)
    home_services = models.FloatField(_("change of home-service users"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reconciliation with another model")

    def __str__(self):
        return self.name

    def targets(self):
        """(row, change) for the rows the other model gives."""
        return [
            (row, value)
            for row, value in (("institution", self.institution), ("home_services", self.home_services))
            if value is not None
        ]
