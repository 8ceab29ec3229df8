"""More of a person's records through the API (issue #18): worklist entries and their reasons,
contacts, home visits, screenings, referrals and enrollments; a referral's next step through the
referrals app's own state machine (trappa/referrals/services.py); projections and planning runs
for planners. Every personal read goes through the access helpers and is logged with the client
named, as in trappa/api/views.py.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from trappa.api.scopes import Scope
from trappa.api.views import ID_SCHEMA, REFUSALS, ErrorSerializer, ScopedView, _what
from trappa.assessments.models import HomeVisit, Screening
from trappa.audit.access import check_person_access, log_access, log_persons_listed
from trappa.audit.models import AccessAction
from trappa.outreach.models import Contact, WorklistEntry
from trappa.people.access import get_person_for_user, visible_persons
from trappa.planning.models import PlanningRun, ProjectionDataset
from trappa.referrals import services
from trappa.referrals.models import Enrollment, Referral, Status
from trappa.referrals.roles import REFERRAL_ROLES

PAGE_SIZE = 100
PERSON_ID = OpenApiParameter("person_id", ID_SCHEMA, OpenApiParameter.PATH)
OFFSET = OpenApiParameter("offset", {"type": "integer", "minimum": 0, "maximum": 10**6}, description="Skip this many.")


class WorklistEntrySerializer(serializers.Serializer):
    person_id = serializers.IntegerField()
    priority = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Rule ids of the municipality's rules.")
    assigned_to = serializers.IntegerField(source="assigned_to_id", allow_null=True)
    added_at = serializers.DateTimeField()


class ContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    channel = serializers.CharField()
    outcome = serializers.CharField()
    at = serializers.DateTimeField()
    reasons = serializers.ListField(child=serializers.CharField())
    remind_on = serializers.DateField(allow_null=True)
    do_not_contact = serializers.BooleanField()


class ScreeningSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    visit_id = serializers.IntegerField()
    instrument_id = serializers.CharField()
    instrument_version = serializers.CharField()
    screened_on = serializers.DateField()
    total = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True, coerce_to_string=True)
    band = serializers.CharField(allow_blank=True)
    item_points = serializers.DictField(child=serializers.IntegerField(allow_null=True))


class VisitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    visited_on = serializers.DateField()
    visited_by = serializers.IntegerField(source="visited_by_id")
    topics = serializers.ListField(child=serializers.CharField())
    consent_follow_up = serializers.BooleanField()
    consent_share_with_gp = serializers.BooleanField()
    consent_involve_caregiver = serializers.BooleanField()
    screenings = ScreeningSerializer(many=True)


class EnrollmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    group = serializers.CharField(source="group.name")
    offering = serializers.CharField(source="group.offering.code")
    status = serializers.CharField()
    status_at = serializers.DateTimeField()


class ReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    offering = serializers.CharField(source="offering.code", allow_null=True, default=None)
    service = serializers.CharField(allow_blank=True)
    pathway = serializers.CharField()
    source = serializers.CharField()
    unit = serializers.CharField(source="unit.code")
    referred_on = serializers.DateField()
    status = serializers.CharField()
    status_on = serializers.DateField()
    status_reason = serializers.CharField(allow_blank=True)
    started_on = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)


class PersonRecordsSerializer(serializers.Serializer):
    referrals = ReferralSerializer(many=True)
    enrollments = EnrollmentSerializer(many=True)


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(Status.choices)
    on = serializers.DateField(required=False, help_text="The day of the step; today if left out.")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class WorklistView(ScopedView):
    """The worklist entries of persons the client may see, best priority first; each person listed is logged."""

    required_scope = Scope.READ_WORKLIST

    @extend_schema(parameters=[OFFSET], responses={200: WorklistEntrySerializer(many=True), **REFUSALS})
    def get(self, request):
        offset = _offset(request)
        persons = visible_persons(request.user)
        q = WorklistEntry.objects.filter(person__in=persons).select_related("person").order_by("priority", "pk")
        entries = list(q[offset : offset + PAGE_SIZE])
        log_persons_listed(request, [e.person for e in entries], _what(request, "worklist"))
        return Response(WorklistEntrySerializer(entries, many=True).data)


def _offset(request):
    value = request.query_params.get("offset", "0")
    if not value.isascii() or not value.isdigit() or int(value) > 10**6:
        raise ValidationError({"offset": "A whole number from 0 to 1000000."})
    return int(value)


class ContactsView(ScopedView):
    """Outreach contacts with a person (letters, calls, visits) and their outcomes."""

    required_scope = Scope.READ_WORKLIST

    @extend_schema(
        parameters=[PERSON_ID], responses={200: ContactSerializer(many=True), 404: ErrorSerializer, **REFUSALS}
    )
    def get(self, request, person_id):
        person = get_person_for_user(request, person_id, _what(request, "contacts"))
        contacts = Contact.objects.filter(person=person).order_by("-at", "-pk")
        return Response(ContactSerializer(contacts, many=True).data)


class VisitsView(ScopedView):
    """A person's preventive home visits, each with its screenings."""

    required_scope = Scope.READ_PERSONS

    @extend_schema(
        parameters=[PERSON_ID], responses={200: VisitSerializer(many=True), 404: ErrorSerializer, **REFUSALS}
    )
    def get(self, request, person_id):
        person = get_person_for_user(request, person_id, _what(request, "home visits"))
        visits = HomeVisit.objects.filter(person=person).prefetch_related("screenings").order_by("visited_on", "pk")
        return Response(VisitSerializer(visits, many=True).data)


class ScreeningsView(ScopedView):
    required_scope = Scope.READ_PERSONS

    @extend_schema(
        parameters=[PERSON_ID], responses={200: ScreeningSerializer(many=True), 404: ErrorSerializer, **REFUSALS}
    )
    def get(self, request, person_id):
        person = get_person_for_user(request, person_id, _what(request, "screenings"))
        screenings = Screening.objects.filter(person=person).order_by("screened_on", "instrument_id")
        return Response(ScreeningSerializer(screenings, many=True).data)


class ReferralsView(ScopedView):
    """A person's referrals and places in groups (or on waitlists)."""

    required_scope = Scope.READ_PERSONS

    @extend_schema(parameters=[PERSON_ID], responses={200: PersonRecordsSerializer, 404: ErrorSerializer, **REFUSALS})
    def get(self, request, person_id):
        person = get_person_for_user(request, person_id, _what(request, "referrals and enrollments"))
        referrals = Referral.objects.filter(person=person).select_related("offering", "unit").order_by("pk")
        enrollments = Enrollment.objects.filter(person=person).select_related("group__offering").order_by("pk")
        return Response(PersonRecordsSerializer({"referrals": referrals, "enrollments": enrollments}).data)


class ReferralStatusView(ScopedView):
    """The referral's next step, through the same state machine as the referral pages."""

    required_scope = Scope.WRITE_REFERRALS
    # As the pages' @person_view(*REFERRAL_ROLES).
    required_roles = REFERRAL_ROLES
    role_refusal = "The client's role does not work with referrals."
    parser_classes = [JSONParser]

    @extend_schema(
        parameters=[OpenApiParameter("referral_id", ID_SCHEMA, OpenApiParameter.PATH)],
        request=StatusChangeSerializer,
        responses={200: ReferralSerializer, 400: ErrorSerializer, 404: ErrorSerializer, **REFUSALS},
    )
    def post(self, request, referral_id):
        referral = get_object_or_404(Referral.objects.select_related("person", "offering", "unit"), pk=referral_id)
        grant = check_person_access(request.user, referral.person)
        serializer = StatusChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            referral = services.change_status(
                referral, data["status"], request.user, on=data.get("on"), reason=data["reason"]
            )
        except DjangoValidationError as error:
            return Response({"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)
        log_access(request, referral.person, grant, _what(request, f"referral {referral.pk}"), AccessAction.CHANGE)
        referral = Referral.objects.select_related("offering", "unit").get(pk=referral.pk)
        return Response(ReferralSerializer(referral).data)


class DatasetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    origin = serializers.CharField()
    synthetic = serializers.BooleanField()
    first_year = serializers.IntegerField()
    last_year = serializers.IntegerField()
    alternatives = serializers.JSONField()


class RunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    created_at = serializers.DateTimeField()
    dataset = serializers.IntegerField(source="dataset_id")
    region = serializers.CharField()
    region_name = serializers.CharField()
    parameters_on = serializers.DateField()
    parameter_versions = serializers.JSONField()
    seed = serializers.IntegerField()
    draws = serializers.IntegerField()


class RunDetailSerializer(RunSerializer):
    inputs = serializers.JSONField()
    results = serializers.JSONField()


class ProjectionsView(ScopedView):
    """The population projections (SSB tables or derived from the register) planning runs start from."""

    required_scope = Scope.READ_PLANNING

    @extend_schema(responses={200: DatasetSerializer(many=True), **REFUSALS})
    def get(self, request):
        return Response(DatasetSerializer(ProjectionDataset.objects.order_by("pk"), many=True).data)


class RunsView(ScopedView):
    """The client's municipality's planning runs (aggregates: no personal data)."""

    required_scope = Scope.READ_PLANNING

    @extend_schema(parameters=[OFFSET], responses={200: RunSerializer(many=True), **REFUSALS})
    def get(self, request):
        offset = _offset(request)
        runs = PlanningRun.objects.filter(municipality=request.auth.client.municipality).order_by("-created_at", "-pk")
        return Response(RunSerializer(runs[offset : offset + PAGE_SIZE], many=True).data)


class RunDetailView(ScopedView):
    required_scope = Scope.READ_PLANNING

    @extend_schema(
        parameters=[OpenApiParameter("run_id", ID_SCHEMA, OpenApiParameter.PATH)],
        responses={200: RunDetailSerializer, 404: ErrorSerializer, **REFUSALS},
    )
    def get(self, request, run_id):
        run = get_object_or_404(PlanningRun, pk=run_id, municipality=request.auth.client.municipality)
        return Response(RunDetailSerializer(run).data)
