"""Places in groups through the API (issue #18): enrol a person in a group (or on its waitlist when
the seats are taken) and move an enrollment through its steps, with the same state machine as the
pages (trappa/referrals/services.py, docs/enrollments.md): the same service functions, so the same
locks, re-reads under the locks and offers of freed seats to the waitlist.

Access as on the pages: the client's role must be one of the group roles, the person is reached
through the access helpers (another municipality's is a 404, one without a care relationship with
the client's unit a 403), and every step is written to the access log in its transaction, with
the client named, under the grant checked before the step (a step may end that grant).

Repeating a request is safe: enrolling someone who already has a place (or a waitlist place) in
the group answers that place (200, no second seat), and a step whose result is already there
answers the enrollment as it is (200). A step the state machine refuses is a 409 with its message
and the status the enrollment is in now.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from trappa.api.scopes import Scope
from trappa.api.views import ID_SCHEMA, REFUSALS, ErrorSerializer, ScopedView, _what
from trappa.audit.access import check_person_access, log_access
from trappa.audit.models import AccessAction
from trappa.people.models import Person
from trappa.referrals import services
from trappa.referrals.models import ACTIVE, Enrollment, EnrollmentStatus, Group
from trappa.referrals.roles import GROUP_ROLES

# The steps a client may take: the service function the pages call for each, and the access log's words.
STEPS = {
    "accept": (services.accept_offer, "seat accepted"),
    "decline": (services.decline_offer, "seat declined"),
    "withdraw": (services.withdraw, "withdrawn"),
    "complete": (services.complete, "completed"),
    "expire": (services.expire_offer, "offer expired"),
}
# The state machine's own refusals (codes of its ValidationErrors): the enrollment is not in a
# state that allows the step, so the answer is a 409 Conflict rather than a 400.
CONFLICTS = {"conflict", "still_open", "not_started"}


class EnrollmentStateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    group_id = serializers.IntegerField()
    person_id = serializers.IntegerField()
    status = serializers.ChoiceField(EnrollmentStatus.choices)
    status_at = serializers.DateTimeField()
    offer_expires_on = serializers.DateField(allow_null=True, help_text="For an offered seat: the last day to answer.")


class EnrolSerializer(serializers.Serializer):
    person_id = serializers.IntegerField(min_value=0, max_value=2**63 - 1)
    priority = serializers.IntegerField(
        min_value=-10, max_value=10, default=0, help_text="Waitlist order: higher first, then who came first."
    )
    conversation_on = serializers.DateField(
        required=False, allow_null=True, help_text="The conversation before the course, for groups that require one."
    )


class StepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(list(STEPS))


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    status = serializers.ChoiceField(EnrollmentStatus.choices, help_text="The status the enrollment is in now.")


def _answer(enrollment, code=status.HTTP_200_OK):
    return Response(EnrollmentStateSerializer(enrollment).data, status=code)


class GroupEnrollmentsView(ScopedView):
    """Enrol a person in a group, or put them on its waitlist when the seats are taken."""

    required_scope = Scope.WRITE_ENROLLMENTS
    # As the pages' @person_view(*GROUP_ROLES): only the roles that work with groups take these steps.
    required_roles = GROUP_ROLES
    role_refusal = "The client's role does not work with groups and their participants."
    parser_classes = [JSONParser]

    @extend_schema(
        parameters=[OpenApiParameter("group_id", ID_SCHEMA, OpenApiParameter.PATH)],
        request=EnrolSerializer,
        responses={
            201: EnrollmentStateSerializer,
            200: EnrollmentStateSerializer,
            400: ErrorSerializer,
            404: ErrorSerializer,
            **REFUSALS,
        },
        description="201 with the new place (enrolled, or waitlisted when the group is full); 200 with the "
        "place the person already has in the group (repeating the request takes no second seat).",
    )
    def post(self, request, group_id):
        group = get_object_or_404(Group, pk=group_id, municipality=request.auth.client.municipality)
        serializer = EnrolSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        person = get_object_or_404(Person, pk=data["person_id"])
        grant = check_person_access(request.user, person)
        try:
            # The place and its log entry are committed together, the entry after the row exists.
            with transaction.atomic():
                # The group's lock first (the service takes it too, in the same order), so whether the person
                # already had a place is read under it: of two identical requests at once, one creates the place.
                Group.objects.select_for_update().filter(pk=group.pk).first()
                had = set(
                    Enrollment.objects.filter(group=group, person=person, status__in=list(ACTIVE)).values_list(
                        "pk", flat=True
                    )
                )
                enrollment = services.enroll(
                    group, person, priority=data["priority"], pre_course_conversation_on=data.get("conversation_on")
                )
                new = enrollment.pk not in had
                action = AccessAction.CREATE if new else AccessAction.VIEW
                what = _what(request, f"enrollment {enrollment.pk}, group {group.pk}")
                log_access(request, person, grant, what, action)
        except DjangoValidationError as error:
            # The refusal tells the client something of the person (e.g. that they moved out): logged as a view.
            log_access(request, person, grant, _what(request, f"enrollment refused, group {group.pk}"))
            return Response({"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)
        return _answer(enrollment, status.HTTP_201_CREATED if new else status.HTTP_200_OK)


class EnrollmentStepView(ScopedView):
    """The enrollment's next step through the pages' state machine (docs/enrollments.md)."""

    required_scope = Scope.WRITE_ENROLLMENTS
    # As the pages' @person_view(*GROUP_ROLES): only the roles that work with groups take these steps.
    required_roles = GROUP_ROLES
    role_refusal = "The client's role does not work with groups and their participants."
    parser_classes = [JSONParser]

    @extend_schema(
        parameters=[OpenApiParameter("enrollment_id", ID_SCHEMA, OpenApiParameter.PATH)],
        request=StepSerializer,
        responses={
            200: EnrollmentStateSerializer,
            400: ErrorSerializer,
            404: ErrorSerializer,
            409: ConflictSerializer,
            **REFUSALS,
        },
        description="accept or decline an offered seat, withdraw, complete (once the group has started), or "
        "expire an offer past its answer-by date. A step whose result is already there answers the "
        "enrollment as it is; a step the state machine refuses is a 409 with the status it is in now.",
    )
    def post(self, request, enrollment_id):
        q = Enrollment.objects.select_related("person", "group")
        enrollment = get_object_or_404(q, pk=enrollment_id)
        grant = check_person_access(request.user, enrollment.person)
        serializer = StepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        step = serializer.validated_data["step"]
        take, words = STEPS[step]
        done_to = services.ACTIONS[step][1]
        try:
            with transaction.atomic():
                if enrollment.status == done_to:
                    # Already done (a repeated request): nothing to change, the client is shown the place.
                    changed = False
                else:
                    take(enrollment)
                    changed = True
                what = _what(request, f"enrollment {enrollment.pk}" + (f": {words}" if changed else ""))
                action = AccessAction.CHANGE if changed else AccessAction.VIEW
                log_access(request, enrollment.person, grant, what, action)
        except DjangoValidationError as error:
            return self._refused(request, enrollment, grant, done_to, error)
        return _answer(Enrollment.objects.get(pk=enrollment.pk))

    def _refused(self, request, enrollment, grant, done_to, error):
        """A refused step: if another request (a repeat of this one) got there first, the place as it is now;
        otherwise the refusal, 409 for the state machine's, 400 for anything else."""
        current = Enrollment.objects.get(pk=enrollment.pk)
        # Either way the client learns the place's status now: logged as a view.
        log_access(request, enrollment.person, grant, _what(request, f"enrollment {current.pk}"))
        if current.status == done_to:
            return _answer(current)
        conflict = getattr(error, "code", None) in CONFLICTS
        code = status.HTTP_409_CONFLICT if conflict else status.HTTP_400_BAD_REQUEST
        body = {"detail": " ".join(error.messages)}
        if code == status.HTTP_409_CONFLICT:
            body["status"] = current.status
        return Response(body, status=code)
