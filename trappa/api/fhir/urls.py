"""/fhir/: read, search, $everything, and Patient and discharge Encounter in (trappa.api.fhir.views)."""

from django.urls import path, register_converter

from trappa.api.fhir import views
from trappa.api.fhir.reading import TYPES


class FhirIdConverter:
    """A FHIR logical id (FHIR R4 "id": 1-64 of A-Z a-z 0-9 - .). Trappa's are a row id, a row id after
    a kind ("visit-12") or an instrument's key ("sppb"): reading.py parses each, never an identity number."""

    regex = r"[A-Za-z0-9\-.]{1,64}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(FhirIdConverter, "fhir_id")

app_name = "fhir"
# FHIR operations ($name): trappa.api.fhir.schema describes them with their `$`.
OPERATIONS = ("everything",)
urlpatterns = [
    path("Patient/<fhir_id:resource_id>/$everything", views.view(views.EverythingView, "Patient"), name="everything"),
]
for _type in TYPES:
    urlpatterns += [
        path(f"{_type}", views.search_view(_type), name=f"{_type}-search"),
        path(f"{_type}/<fhir_id:resource_id>", views.view(views.ReadView, _type), name=_type),
    ]
