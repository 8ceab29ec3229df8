"""/fhir/: read, search, $everything, and Patient and discharge Encounter in (trappa.api.fhir.views)."""

from django.urls import path

from trappa.api.fhir import views
from trappa.api.fhir.reading import TYPES

app_name = "fhir"
# FHIR operations ($name): trappa.api.fhir.schema describes them with their `$`.
OPERATIONS = ("everything",)
urlpatterns = [
    path("Patient/<str:resource_id>/$everything", views.view(views.EverythingView, "Patient"), name="everything"),
]
for _type in TYPES:
    urlpatterns += [
        path(f"{_type}", views.search_view(_type), name=f"{_type}-search"),
        path(f"{_type}/<str:resource_id>", views.view(views.ReadView, _type), name=_type),
    ]
