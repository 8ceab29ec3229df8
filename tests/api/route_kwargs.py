from tests.audit.test_routes import Kwarg

ROUTE_KWARGS = {
    # The kind of register rows the API imports (trappa/api/urls.py).
    "kind": Kwarg(lambda case, person: "persons", personal=False),
    # A FHIR resource's id (trappa/api/fhir/urls.py): the person's, which is the Patient's id.
    "resource_id": Kwarg(lambda case, person: str(person.pk)),
}


def _client(case, person):
    from trappa.api.clients import register_client

    client, _secret = register_client(case.administrator, "Route matrix", ["read:persons"], unit=case.health)
    return client.pk


# An API client (trappa/api/client_views.py): no personal data.
ROUTE_KWARGS["client_id"] = Kwarg(_client, personal=False)
