"""The API's endpoints. Every personal read and write goes through the same
access helpers and import code as the pages, as the client's service user.

Route declarations (trappa/accounts/routes.py): every API view is `@public` to
the route matrix because it is reached without a session; the gate is the
bearer token and its scope (HasScope), checked before the view runs, and a
logged-in member of staff's session counts for nothing here.
"""

import base64
import binascii
import csv
import re
import tempfile
from pathlib import Path

from csp.decorators import csp_update
from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from trappa.accounts.models import Municipality
from trappa.accounts.routes import public
from trappa.api.authentication import BearerTokenAuthentication
from trappa.api.models import Client, Token
from trappa.api.permissions import HasRole, HasScope
from trappa.api.scopes import Scope
from trappa.api.serializers import (
    ErrorSerializer,
    ImportResultSerializer,
    OAuthErrorSerializer,
    OfferingSerializer,
    PersonSerializer,
    RegisterRowsSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from trappa.audit.access import log_persons_listed
from trappa.catalogue.models import Offering
from trappa.people.access import get_person_for_user, visible_persons
from trappa.people.importing import import_file
from trappa.people.models import ImportKind

# The answers every token-protected operation may give besides its own: no or a bad token, a missing scope.
REFUSALS = {401: ErrorSerializer, 403: ErrorSerializer}
# A database id: what the routes' <int:...> takes and the database holds.
ID_SCHEMA = {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}
# A national ID or D-number: 11 ASCII digits.
NATIONAL_ID = re.compile(r"[0-9]{11}")
# The most persons one list answer holds.
PAGE_SIZE = 100


def api_view(view_class):
    """The view function for an APIView, declared for the route matrix (see the module docstring)."""
    return public(view_class.as_view())


class ScopedView(APIView):
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [HasScope, HasRole]
    required_scope = None
    required_roles = None  # None: every role the scope's clients have; else only these (HasRole)
    role_refusal = ""


class TokenView(APIView):
    """OAuth 2.0 token endpoint, client credentials grant (RFC 6749 section 4.4)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = [FormParser, JSONParser]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: OAuthErrorSerializer, 401: OAuthErrorSerializer},
        auth=[],
    )
    def post(self, request):
        data = request.data
        if data.get("grant_type") != "client_credentials":
            return _oauth_error("unsupported_grant_type")
        client = _authenticate_client(request)
        if client is None:
            return _oauth_error("invalid_client", status.HTTP_401_UNAUTHORIZED)
        asked = str(data.get("scope", "")).split()
        scopes = client.grantable(asked)
        if not scopes or (asked and len(scopes) != len(set(asked))):
            return _oauth_error("invalid_scope")
        _token, value = Token.issue(client, scopes)
        body = {
            "access_token": value,
            "token_type": "Bearer",
            "expires_in": settings.API_TOKEN_SECONDS,
            "scope": " ".join(scopes),
        }
        return Response(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


def _authenticate_client(request):
    """The client named by HTTP Basic auth or by client_id/client_secret in the body, if its secret is right."""
    client_id, secret = request.data.get("client_id"), request.data.get("client_secret")
    basic = _basic_credentials(request)
    if basic:
        client_id, secret = basic
    if not client_id or not secret:
        return None
    client = Client.objects.usable().select_related("user").filter(client_id=str(client_id)).first()
    if client is None or not client.user.is_active or not client.check_secret(str(secret)):
        return None
    return client


def _basic_credentials(request):
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, _, secret = decoded.partition(":")
    return client_id, secret


def _oauth_error(code, status_code=status.HTTP_400_BAD_REQUEST):
    headers = {"WWW-Authenticate": 'Basic realm="trappa"'} if status_code == 401 else {}
    return Response({"error": code}, status=status_code, headers=headers)


class PersonListView(ScopedView):
    """The persons the client may see, or the one with a national ID; every person shown is logged."""

    required_scope = Scope.READ_PERSONS

    @extend_schema(
        parameters=[OpenApiParameter("national_id", str, description="An 11-digit national ID or D-number.")],
        responses={200: PersonSerializer(many=True), **REFUSALS},
    )
    def get(self, request):
        q = visible_persons(request.user).order_by("pk")
        national_id = request.query_params.get("national_id")
        if national_id is not None:
            # Only 11 digits can be a national ID: anything else finds nobody without asking the
            # database (PostgreSQL refuses a NUL in a query, which would end the request's transaction).
            q = q.filter(national_id=national_id) if NATIONAL_ID.fullmatch(national_id) else q.none()
        persons = list(q[:PAGE_SIZE])
        log_persons_listed(request, persons, _what(request, "person search"))
        return Response(PersonSerializer(persons, many=True).data)


class PersonDetailView(ScopedView):
    required_scope = Scope.READ_PERSONS

    @extend_schema(
        parameters=[OpenApiParameter("person_id", ID_SCHEMA, OpenApiParameter.PATH)],
        responses={200: PersonSerializer, 404: ErrorSerializer, **REFUSALS},
    )
    def get(self, request, person_id):
        person = get_person_for_user(request, person_id, _what(request, "person"))
        return Response(PersonSerializer(person).data)


class RegisterImportView(ScopedView):
    """An idempotent upsert of register rows: the same checks, history and
    all-or-nothing import as a register file (docs/register-format.md)."""

    required_scope = Scope.WRITE_REGISTER
    parser_classes = [JSONParser]

    @extend_schema(
        parameters=[OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=ImportKind.values)],
        request=RegisterRowsSerializer,
        responses={
            200: ImportResultSerializer,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="The rows were rejected: an import result with its problems, or the fields in error.",
            ),
            **REFUSALS,
        },
    )
    def post(self, request, kind):
        if kind not in ImportKind.values:
            raise ValidationError({"kind": f"One of {', '.join(ImportKind.values)}."})
        serializer = RegisterRowsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows, dry_run = serializer.validated_data["rows"], serializer.validated_data["dry_run"]
        municipality = request.auth.client.municipality
        batch = import_rows_as_file(kind, rows, municipality, request.user, dry_run, request.auth.client.name)
        batch.problems = [_problem(p) for p in batch.errors]
        code = status.HTTP_400_BAD_REQUEST if batch.problems else status.HTTP_200_OK
        return Response(ImportResultSerializer(batch).data, status=code)


def import_rows_as_file(kind, rows, municipality, user, dry_run, sender, run=import_file):
    """Write the rows as a register file and import it with the file import (`run`: the import
    function for the kind, e.g. the discharge list's for FHIR Encounters)."""
    columns = list(dict.fromkeys(name for row in rows for name in row))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{kind}.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, delimiter=";")
            writer.writerow(columns)
            # A column a row leaves out is empty in that row, as in a file.
            writer.writerows([row.get(name, "") for name in columns] for row in rows)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
        return run(kind, path, municipality, dry_run=dry_run, user=user, file_name=f"api-{sender}-{stamp}")


def _problem(error):
    # Line 1 of the file is its header; line 2 is the first row.
    line = error["line"]
    return {"row": line - 2 if line >= 2 else None, "column": error["column"], "reason": error["reason"]}


class OfferingListView(APIView):
    """A municipality's published offerings and their capacity: public, like the catalogue pages."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "municipality",
                str,
                OpenApiParameter.PATH,
                pattern=r"^[-a-zA-Z0-9_]+$",
                description="The municipality's slug, as in the public catalogue's addresses (e.g. vefsn).",
            )
        ],
        responses={200: OfferingSerializer(many=True), 404: ErrorSerializer},
        auth=[],
    )
    def get(self, request, municipality):
        municipality = get_object_or_404(Municipality, slug=municipality)
        q = Offering.objects.published().filter(municipality=municipality)
        offerings = q.select_related("step", "municipality").order_by("step__position", "code")
        return Response(OfferingSerializer(offerings, many=True).data)


def _what(request, what):
    """The access log's "what": the client is named as the actor by its service user, and here too."""
    return f"API ({request.auth.client.name}): {what}"


# Redoc lays itself out with styles it writes into the page and renders in a worker started from a
# blob: URL; this page alone allows those two (it shows no personal data and runs only our own script).
@csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})
@public
def reference(request):
    """The API reference page (Redoc, rendered from the schema)."""
    return render(request, "api/reference.html")
