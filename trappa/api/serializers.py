from rest_framework import serializers

from trappa.people.models import ImportBatch, Person


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = [
            "id",
            "national_id",
            "given_name",
            "family_name",
            "birth_date",
            "sex",
            "street_address",
            "postal_code",
            "postal_place",
            "area",
            "municipality_number",
            "marital_status",
            "marital_status_date",
            "living_alone",
            "date_of_death",
            "date_moved_out",
            "interpreter_needed",
            "language",
            "written_standard",
            "updated_at",
        ]


class TokenRequestSerializer(serializers.Serializer):
    grant_type = serializers.CharField()
    client_id = serializers.CharField(required=False)
    client_secret = serializers.CharField(required=False)
    scope = serializers.CharField(required=False, allow_blank=True)


class TokenSerializer(serializers.Serializer):
    access_token = serializers.CharField()
    token_type = serializers.CharField()
    expires_in = serializers.IntegerField()
    scope = serializers.CharField()


class RegisterRowsSerializer(serializers.Serializer):
    """Rows of a register file as JSON: each row maps the file's column names to their text values."""

    rows = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=500)),
        min_length=1,
        max_length=10000,
    )
    dry_run = serializers.BooleanField(default=False)

    def validate_rows(self, rows):
        # The values are CharFields, which refuse NUL and lone surrogates; the column names must too,
        # since they become the file's header.
        name = serializers.CharField(max_length=100)
        for row in rows:
            for column in row:
                name.run_validation(column)
        return rows


class ProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="0-based index in `rows`; null for the columns.")
    column = serializers.CharField()
    reason = serializers.CharField()


class ImportResultSerializer(serializers.ModelSerializer):
    problems = ProblemSerializer(many=True)

    class Meta:
        model = ImportBatch
        fields = ["id", "kind", "status", "dry_run", "rows", "created", "updated", "unchanged", "problems"]


class OfferingSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    step = serializers.CharField()
    prevention_level = serializers.CharField()
    access = serializers.CharField()
    places_per_group = serializers.IntegerField(allow_null=True)
    number_of_groups = serializers.IntegerField(allow_null=True)
    capacity = serializers.IntegerField(allow_null=True, help_text="Places per group times the number of groups.")

    def to_representation(self, offering):
        per_group, groups = offering.capacity_per_group, offering.number_of_groups
        return {
            "code": offering.code,
            "name": offering.text("name"),
            "step": offering.step.code,
            "prevention_level": offering.prevention_level,
            "access": offering.access,
            "places_per_group": per_group,
            "number_of_groups": groups,
            "capacity": per_group * groups if per_group is not None and groups is not None else None,
        }


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class OAuthErrorSerializer(serializers.Serializer):
    error = serializers.ChoiceField(
        ["invalid_request", "invalid_client", "invalid_grant", "unsupported_grant_type", "invalid_scope"]
    )
