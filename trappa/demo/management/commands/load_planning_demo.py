"""Load the demo projection (synthetic, in SSB's format), derive Vefsn's from the demo register, and
Vefsn's demo runs."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from trappa.accounts.models import Municipality
from trappa.planning import params, register_population, services
from trappa.planning.models import PlanningRun, PopulationSeries, Reconciliation

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "14288_vefsn_nord-aurdal_synthetic.json"
EVIDENCE = ("preventive_home_visits", "fall_prevention", "everyday_rehabilitation", "caregiver_support")


class Command(BaseCommand):
    help = "Load the demo population projection and Vefsn's prevention scenarios to 2050."

    def handle(self, *args, **options):
        dataset = services.import_projection(
            "SSB 14288 (demo, synthetic figures)", SAMPLE.name, SAMPLE.read_bytes(), synthetic=True
        )
        self.stdout.write(f"Projection: {dataset} – {dataset.series.count()} municipalities")
        vefsn = Municipality.objects.filter(number="1824").first()
        if vefsn is None:
            self.stdout.write("No municipality 1824 (Vefsn): no demo runs made.")
            return
        series = PopulationSeries.objects.get(dataset=dataset, region="1824")
        ps = params.load()
        for name, mode, extra in (
            (_("Prevention, evidence-based"), "evidence", ()),
            (_("Prevention, optimistic"), "optimistic", ("healthy_ageing",)),
        ):
            existing = PlanningRun.objects.filter(municipality=vefsn, name=name, dataset=dataset).first()
            if existing:
                self.recompute(existing)
                continue
            chosen = {k: {"mode": mode if k in EVIDENCE + extra else "off"} for k in ps.interventions}
            cleaned = {
                "name": name,
                "horizon": 2050,
                "rate_source": "register",
                "interventions": chosen,
                "seed": 1,
                "draws": 1000,
            }
            run = services.create_run(vefsn, None, series, cleaned)
            self.stdout.write(f"Run: {run.name} ({run.seconds:.2f} s)")
        self.reconcile(vefsn, dataset)
        self.derive(vefsn, ps)

    def recompute(self, run):
        """A demo run stored before an engine fix (issue #15: home nursing counted the avoided users twice)
        is computed again from its stored inputs, so the demo shows today's rules."""
        before = run.results
        services.compute(run)
        if run.results != before:
            run.save()
            self.stdout.write(f"Recomputed: {run.name}")

    def reconcile(self, vefsn, dataset):
        """The consultant's scenario quoted in Vefsn's report on preventive measures (2023)."""
        name = _("Consultant's scenario (PwC, 7 February 2023)")
        if Reconciliation.objects.filter(municipality=vefsn, name=name).exists():
            return
        run = PlanningRun.objects.filter(municipality=vefsn, dataset=dataset).order_by("created_at", "id").first()
        if run is None:
            return
        Reconciliation.objects.create(
            municipality=vefsn,
            run=run,
            name=name,
            source=_(
                "Vefsn municipality, report on preventive measures for older adults (2023), chapter 1, building on "
                "PwC's analysis of 7 February 2023: a strong effort on prevention could give 83 fewer users of "
                "institution places and 121 fewer users of home services in 2050."
            ),
            year=2050,
            institution=-83,
            home_services=-121,
        )
        self.stdout.write(f"Reconciliation: {name}")

    def derive(self, vefsn, ps):
        """Vefsn's projection from its own (synthetic) register, and one run on it."""
        try:
            dataset, _created = register_population.derive_projection(vefsn)
        except register_population.RegisterPopulationError as exc:
            self.stdout.write(f"No register-derived projection: {exc}")
            return
        self.stdout.write(f"Projection: {dataset}")
        name = _("Prevention, evidence-based (population from our register)")
        existing = PlanningRun.objects.filter(municipality=vefsn, name=name, dataset=dataset).first()
        if existing:
            self.recompute(existing)
            return
        chosen = {k: {"mode": "evidence" if k in EVIDENCE else "off"} for k in ps.interventions}
        cleaned = {
            "name": name,
            "horizon": dataset.last_year,
            "rate_source": "register",
            "interventions": chosen,
            "seed": 1,
            "draws": 1000,
        }
        run = services.create_run(vefsn, None, dataset.series.get(), cleaned)
        self.stdout.write(f"Run: {run.name} ({run.seconds:.2f} s)")
