from tests.audit.test_routes import Kwarg

ROUTE_KWARGS = {
    # The kind of register rows the API imports (trappa/api/urls.py).
    "kind": Kwarg(lambda case, person: "persons", personal=False),
}
