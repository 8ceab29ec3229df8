"""URL kwargs of the planning routes for the route matrix (tests/audit/test_routes.py).

A planning run holds aggregates only, so its kwargs are not a person's data.
"""

from pathlib import Path

from trappa.planning import params, services
from trappa.planning.models import PopulationSeries

TINY = Path(__file__).resolve().parent / "data" / "14288_tiny.json"


def make_run(case, person):
    dataset = services.import_projection("Route matrix", TINY.name, TINY.read_bytes())
    series = PopulationSeries.objects.get(dataset=dataset, region=case.vefsn.number)
    chosen = {key: {"mode": "evidence"} for key in params.load().interventions}
    cleaned = {
        "name": "Route matrix run",
        "horizon": 2026,
        "rate_source": "national",
        "interventions": chosen,
        "seed": 1,
        "draws": 0,
    }
    return services.create_run(case.vefsn, None, series, cleaned).pk


def _kwargs():
    from tests.audit.test_routes import Kwarg  # the matrix imports this module, so import it late

    return {"run_id": Kwarg(make_run, personal=False)}


ROUTE_KWARGS = _kwargs()
