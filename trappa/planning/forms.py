"""The planning form: municipality, horizon, draws, and each intervention's settings."""

from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .engine.model import AGES
from .models import PopulationSeries, Reconciliation
from .report import effect_label, intervention_label

# The prevention scenario the page opens with: the evidence-based defaults.
DEFAULT_ON = ("preventive_home_visits", "fall_prevention", "everyday_rehabilitation", "caregiver_support")
MAX_DRAWS = 5000


class PlanningForm(forms.Form):
    name = forms.CharField(label=_("Name of the run"), max_length=200, initial=_("Prevention scenario"))
    series = forms.ModelChoiceField(
        label=_("Municipality and projection"), queryset=PopulationSeries.objects.none(), empty_label=None
    )
    horizon = forms.IntegerField(label=_("Last year"), min_value=2000, max_value=2100, initial=2050)
    draws = forms.IntegerField(
        label=_("Uncertainty draws"),
        min_value=0,
        max_value=MAX_DRAWS,
        initial=1000,
        help_text=_("0 gives the central estimate alone, without intervals."),
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=2**31 - 1,
        initial=1,
        help_text=_("The same seed gives the same draws, so runs can be compared and repeated."),
    )
    rate_source = forms.ChoiceField(
        label=_("Usage rates"),
        choices=[("register", _("Calibrated to our own register")), ("national", _("National defaults"))],
        initial="register",
        help_text=_("Register calibration applies only to your own municipality."),
    )

    def __init__(self, *args, parameters, **kwargs):
        super().__init__(*args, **kwargs)
        self.parameters = parameters
        self.fields["series"].queryset = PopulationSeries.objects.select_related("dataset").defer("data")
        self.fields["series"].label_from_instance = lambda s: f"{s.region} {s.region_name} – {s.dataset.name}"
        for spec in parameters.interventions.values():
            self._add_intervention_fields(spec)

    def _add_intervention_fields(self, spec):
        modes = [("off", _("Off")), ("evidence", _("Evidence-based default"))]
        if spec.optimistic_effect:
            modes.append(("optimistic", _("Optimistic variant (not supported by evidence)")))
        modes.append(("custom", _("My own effect")))
        self.fields[f"{spec.key}_mode"] = forms.ChoiceField(
            label=intervention_label(spec), choices=modes, initial="evidence" if spec.key in DEFAULT_ON else "off"
        )
        self.fields[f"{spec.key}_uptake"] = forms.DecimalField(
            label=_("Uptake (%)"),
            min_value=0,
            max_value=100,
            decimal_places=1,
            required=False,
            help_text=_("Default %(value)s %%.") % {"value": _percent(spec.uptake.value)},
        )
        self.fields[f"{spec.key}_effect"] = forms.DecimalField(
            label=effect_label(spec),
            required=False,
            decimal_places=3,
            min_value=-10,
            max_value=10,
            help_text=_("Used with “My own effect”. Default %(value)s.") % {"value": spec.effect.value},
        )
        if spec.key == "need_delay":
            self.fields["need_delay_min_age"] = forms.IntegerField(
                label=_("Target group from age"), min_value=0, max_value=AGES - 1, initial=spec.min_age
            )
            self.fields["need_delay_max_age"] = forms.IntegerField(
                label=_("Target group to age"), min_value=0, max_value=AGES - 1, initial=spec.max_age
            )

    def general_fields(self):
        return [self[name] for name in ("name", "series", "horizon", "draws", "seed", "rate_source")]

    def intervention_rows(self):
        """Bound fields grouped per intervention, for the template."""
        rows = []
        for spec in self.parameters.interventions.values():
            names = [f"{spec.key}_mode", f"{spec.key}_uptake", f"{spec.key}_effect"]
            if spec.key == "need_delay":
                names += ["need_delay_min_age", "need_delay_max_age"]
            rows.append((spec, [self[name] for name in names]))
        return rows

    def clean(self):
        data = super().clean()
        series = data.get("series")
        horizon = data.get("horizon")
        if series and horizon and not series.dataset.first_year < horizon <= series.dataset.last_year:
            self.add_error(
                "horizon",
                _("Choose a year after %(first)s and no later than %(last)s.")
                % {"first": series.dataset.first_year, "last": series.dataset.last_year},
            )
        data["interventions"] = self._interventions(data)
        return data

    def _interventions(self, data):
        chosen = {}
        for spec in self.parameters.interventions.values():
            mode = data.get(f"{spec.key}_mode", "off")
            uptake = data.get(f"{spec.key}_uptake")
            effect = data.get(f"{spec.key}_effect")
            if mode == "custom":
                effect = self._check_effect(spec, effect)
            choice = {"mode": mode, "uptake": float(uptake) / 100 if uptake is not None else None}
            choice["effect"] = float(effect) if mode == "custom" and effect is not None else None
            if spec.key == "need_delay":
                low, high = data.get("need_delay_min_age"), data.get("need_delay_max_age")
                if low is not None and high is not None and low > high:
                    self.add_error("need_delay_max_age", _("The upper age must not be below the lower age."))
                choice.update(min_age=low, max_age=high)
            chosen[spec.key] = choice
        return chosen

    def _check_effect(self, spec, effect):
        field = f"{spec.key}_effect"
        if effect is None:
            self.add_error(field, ValidationError(_("Give your own effect, or choose another setting.")))
        elif spec.kind == "relative_risk" and effect <= 0:
            self.add_error(field, ValidationError(_("A relative risk must be above 0.")))
        return effect


UPLOAD_SUFFIXES = (".json", ".csv", ".txt")
MAX_UPLOAD_MB = 100  # the whole country, 2024-2050, three alternatives: 24 MB as json-stat2, 26 MB as CSV with codes


class UploadForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, initial=_("SSB population projection"))
    file = forms.FileField(
        label=_("File from SSB's StatBank"),
        help_text=_("Table 14288 or 14746: json-stat2, or CSV with codes or texts."),
    )

    def clean_file(self):
        """Size and type only; the import job reads the figures and says what is wrong with them."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_MB})
        if Path(upload.name).suffix.lower() not in UPLOAD_SUFFIXES or _looks_binary(upload):
            raise ValidationError(
                _(
                    "Choose the table as json-stat2 (.json) or CSV (.csv), as StatBank offers "
                    "them; Excel and other files cannot be read."
                )
            )
        return upload


def _looks_binary(upload):
    """Text files have no NUL bytes at the start; Excel (a zip) and PDF do."""
    upload.seek(0)
    start = upload.read(4096)
    upload.seek(0)
    return b"\x00" in start or start.startswith((b"PK\x03\x04", b"%PDF"))


def _percent(share):
    return f"{share * 100:g}"


class DeriveForm(forms.Form):
    """Derive a population projection from the municipality's own register (register_population.py)."""

    horizon = forms.IntegerField(label=_("Project to the year"), min_value=2000, max_value=2100, initial=2050)


class ReconciliationForm(forms.ModelForm):
    """Another model's result, to be explained next to Trappa's runs."""

    class Meta:
        model = Reconciliation
        fields = ["name", "source", "run", "year", "institution", "home_services"]
        labels = {"run": _("Solve on the population and rates of run")}
        help_texts = {
            "institution": _("Negative for fewer users, e.g. -83."),
            "home_services": _("Negative for fewer users, e.g. -121."),
        }
        widgets = {"source": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, runs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = runs
        self.fields["run"].empty_label = None

    def clean(self):
        data = super().clean()
        if data.get("institution") is None and data.get("home_services") is None:
            self.add_error(None, _("Give at least one of the other model's changes."))
        run, year = data.get("run"), data.get("year")
        if run and year and year not in run.results.get("years", []):
            self.add_error(
                "year",
                _("The run covers %(first)s–%(last)s.")
                % {"first": run.results["years"][0], "last": run.results["years"][-1]},
            )
        return data
