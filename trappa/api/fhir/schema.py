"""The OpenAPI schema's paths for FHIR operations.

drf-spectacular reads the routes' patterns as regular expressions and drops a `$` as an end
anchor, so `Patient/{id}/$everything` would be described as `Patient/{id}/everything`, a
path that does not exist. This postprocessing hook (SPECTACULAR_SETTINGS) puts the `$` back.
"""

from trappa.api.fhir.urls import OPERATIONS


def operation_paths(result, generator, request, public):
    paths = result.get("paths", {})
    for operation in OPERATIONS:
        for path in [p for p in paths if p.endswith(f"/{operation}")]:
            paths[path[: -len(operation)] + "$" + operation] = paths.pop(path)
    return result
