"""The FHIR endpoints: read by id, search, Patient/$everything, and Patient and discharge
Encounter in. Token and scope as for the rest of the API (read:persons to read,
write:register to write); every answer is FHIR JSON, errors as an OperationOutcome.

Route declarations: `@public` to the route matrix, like every API view (trappa/api/views.py).
"""

import re

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from trappa.accounts.routes import public
from trappa.api.fhir import build, writing
from trappa.api.fhir.reading import Reader
from trappa.api.scopes import Scope
from trappa.api.views import ScopedView
from trappa.outreach.importing import DISCHARGES
from trappa.people.models import ImportKind, ImportStatus

FHIR_JSON = "application/fhir+json"
# A FHIR id (R4 "id" datatype).
ID_PATTERN = r"^[A-Za-z0-9\-.]{1,64}$"
RESOURCE = OpenApiResponse(OpenApiTypes.OBJECT, description="A FHIR R4 resource.")
OUTCOME = OpenApiResponse(OpenApiTypes.OBJECT, description="A FHIR OperationOutcome.")
BUNDLE = OpenApiResponse(OpenApiTypes.OBJECT, description="A FHIR Bundle (searchset).")
FAILURES = {401: OUTCOME, 403: OUTCOME, 404: OUTCOME}


class FhirRenderer(JSONRenderer):
    media_type = FHIR_JSON
    format = "fhir"


class FhirParser(JSONParser):
    media_type = FHIR_JSON


class FhirSchema(AutoSchema):
    """Operation ids named after the FHIR interaction: fhir_Patient_read, fhir_Patient_search, ..."""

    def get_operation_id(self):
        view = self.view
        if isinstance(view, EverythingView):
            interaction = "everything"
        elif isinstance(view, SearchView):
            interaction = "create" if self.method == "POST" else "search"
        else:
            interaction = "read"
        return f"fhir_{view.resource_type}_{interaction}"


ISSUE_CODES = {400: "invalid", 401: "login", 403: "forbidden", 404: "not-found", 405: "not-supported"}


class FhirView(ScopedView):
    renderer_classes = [FhirRenderer, JSONRenderer]
    parser_classes = [FhirParser, JSONParser]
    required_scope = Scope.READ_PERSONS
    resource_type = None
    schema = FhirSchema()

    def handle_exception(self, exc):
        """Errors as an OperationOutcome (with the status and headers DRF gives them)."""
        if isinstance(exc, Http404):
            exc = exceptions.NotFound()
        elif isinstance(exc, PermissionDenied):
            exc = exceptions.PermissionDenied()
        response = super().handle_exception(exc)
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        text = str(detail) if detail else str(response.data)
        code = ISSUE_CODES.get(response.status_code, "processing")
        response.data = build.operation_outcome([("error", code, text, None)])
        return response

    def reader(self, request):
        return Reader(request, f"API ({request.auth.client.name}): FHIR")


def fhir(body, code=status.HTTP_200_OK):
    return Response(body, status=code, content_type=FHIR_JSON)


def _base(request):
    return request.build_absolute_uri("/").rstrip("/")


class ReadView(FhirView):
    """GET /fhir/<Type>/<id>."""

    @extend_schema(
        tags=["fhir"],
        parameters=[OpenApiParameter("resource_id", str, OpenApiParameter.PATH, pattern=ID_PATTERN)],
        responses={200: RESOURCE, **FAILURES},
    )
    def get(self, request, resource_id):
        return fhir(self.reader(request).read(self.resource_type, resource_id))


# A national ID or D-number: 11 digits (nothing else reaches the database).
NATIONAL_ID = re.compile(r"[0-9]{11}")


class SearchView(FhirView):
    """GET /fhir/<Type>?patient=<id> (Patient: ?identifier=<system>|<value>): a searchset Bundle."""

    def search_parameter(self):
        return "identifier" if self.resource_type == "Patient" else "patient"

    @extend_schema(
        tags=["fhir"],
        parameters=[
            OpenApiParameter(
                "identifier",
                str,
                description="Patient only: urn:oid:2.16.578.1.12.4.1.4.1|<national ID> (or …4.2 for a D-number).",
            ),
            OpenApiParameter("patient", str, description="Other types: the patient's id (Patient/<id> or <id>)."),
        ],
        responses={200: BUNDLE, 400: OUTCOME, **FAILURES},
    )
    def get(self, request):
        name = self.search_parameter()
        value = request.query_params.get(name)
        if not value:
            raise exceptions.ValidationError(f"Search {self.resource_type} by {name}.")
        reader = self.reader(request)
        if name == "identifier":
            system, _, number = value.rpartition("|")
            resources = reader.search_patients(value) if NATIONAL_ID.fullmatch(number) else []
        else:
            resources = reader.search_for_patient(self.resource_type, value)
        return fhir(build.bundle(resources, base=_base(request)))

    @extend_schema(
        tags=["fhir"],
        request=OpenApiTypes.OBJECT,
        responses={200: OUTCOME, 400: OUTCOME, 401: OUTCOME, 403: OUTCOME, 422: OUTCOME},
    )
    def post(self, request):
        """Patient, or a discharge Encounter (a batch/transaction Bundle of either): into the file import."""
        kind, make_row = WRITES[self.resource_type]
        try:
            resources = writing.parse(request.data, self.resource_type)
            rows = writing.rows_from(resources, make_row)
        except writing.Refused as refused:
            issues = [("error", "invalid", text, where) for text, where in refused.issues]
            return fhir(build.operation_outcome(issues), status.HTTP_422_UNPROCESSABLE_ENTITY)
        client = request.auth.client
        batch = writing.import_rows(kind, rows, client.municipality, request.user, client.name)
        if batch.status != ImportStatus.DONE:
            issues = [
                ("error", "invalid", _problem_text(p), _where(p, len(rows), self.resource_type)) for p in batch.errors
            ]
            issues = issues or [("error", "exception", f"The import {batch.pk} {batch.status}.", None)]
            return fhir(build.operation_outcome(issues), status.HTTP_422_UNPROCESSABLE_ENTITY)
        text = (
            f"Import {batch.pk}: {batch.rows} rows, {batch.created} created, {batch.updated} updated, "
            f"{batch.unchanged} unchanged."
        )
        return fhir(build.operation_outcome([("information", "informational", text, None)]))

    def check_permissions(self, request):
        if request.method == "POST":
            self.required_scope = Scope.WRITE_REGISTER
        super().check_permissions(request)


WRITES = {
    "Patient": (ImportKind.PERSONS, writing.patient_row),
    "Encounter": (DISCHARGES, writing.discharge_row),
}


def _problem_text(problem):
    return f"{problem['column']}: {problem['reason']}" if problem.get("column") else str(problem["reason"])


def _where(problem, count, resource_type):
    line = problem.get("line") or 0
    if line < 2:
        return None
    return f"Bundle.entry[{line - 2}].resource" if count > 1 else resource_type


class EverythingView(FhirView):
    """GET /fhir/Patient/<id>/$everything: the person and every resource about them."""

    @extend_schema(
        tags=["fhir"],
        parameters=[OpenApiParameter("resource_id", str, OpenApiParameter.PATH, pattern=ID_PATTERN)],
        responses={200: BUNDLE, **FAILURES},
    )
    def get(self, request, resource_id):
        _person, resources = self.reader(request).everything(resource_id)
        return fhir(build.bundle(resources, base=_base(request)))


def view(view_class, resource_type):
    """The view for one resource type, declared for the route matrix (every API view is @public)."""
    cls = type(f"{resource_type}{view_class.__name__}", (view_class,), {"resource_type": resource_type})
    return public(cls.as_view())


def search_view(resource_type):
    """Search (GET) for every type; create (POST) only for Patient and Encounter."""
    methods = ["get", "post"] if resource_type in WRITES else ["get"]
    cls = type(
        f"{resource_type}SearchView",
        (SearchView,),
        {"resource_type": resource_type, "http_method_names": [*methods, "options"]},
    )
    return public(cls.as_view())
