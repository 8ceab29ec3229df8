"""Roles are proposed and approved (RoleProposal), and every account and role change goes into
the append-only role history (RoleEvent; on PostgreSQL a trigger refuses UPDATE and DELETE).
Existing accounts get one event each with their role as it is now, so the history (and the
report of who had access to a unit) starts from today's truth.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


TRIGGER = """
CREATE OR REPLACE FUNCTION trappa_role_history_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The role history is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trappa_role_history_append_only
    BEFORE UPDATE OR DELETE ON accounts_roleevent
    FOR EACH ROW EXECUTE FUNCTION trappa_role_history_append_only();
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS trappa_role_history_append_only ON accounts_roleevent;
DROP FUNCTION IF EXISTS trappa_role_history_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # None: the "%" in RAISE is not a placeholder

    return run


def start_the_history(apps, schema_editor):
    user_model, event_model = apps.get_model("accounts", "User"), apps.get_model("accounts", "RoleEvent")
    event_model.objects.bulk_create(
        event_model(
            municipality_id=user.municipality_id,
            user=user,
            username=user.username,
            kind="created",
            role_from=user.role,
            role_to=user.role,
            unit_from_id=user.unit_id,
            unit_to_id=user.unit_id,
            department_to_id=user.department_id,
            is_active=user.is_active,
            reason="The account as it was when the role history began.",
        )
        for user in user_model.objects.all()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_unit_contact_details"),
    ]

    operations = [
        migrations.AddField(
            model_name="municipality",
            name="role_approver",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="role_expires_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="role expires"),
        ),
        migrations.CreateModel(
            name="RoleProposal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("nurse", "Nurse, health station for older adults"),
                            ("therapist", "Therapist"),
                            ("course_leader", "Course leader"),
                            ("caseworker", "Caseworker, service office"),
                            ("caregiver_coordinator", "Caregiver coordinator"),
                            ("unit_leader", "Unit leader"),
                            ("planner", "Planner"),
                            ("administrator", "Administrator"),
                        ],
                        max_length=30,
                        verbose_name="role",
                    ),
                ),
                ("expires_at", models.DateTimeField(blank=True, null=True, verbose_name="role expires")),
                ("reason", models.TextField(verbose_name="why")),
                ("proposed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting for approval"),
                            ("approved", "Approved"),
                            ("rejected", "Rejected"),
                        ],
                        default="pending",
                        max_length=10,
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("decision_note", models.TextField(blank=True)),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "department",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.department",
                    ),
                ),
                (
                    "proposed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.unit",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="role_proposals",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-proposed_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="RoleEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ("username", models.CharField(max_length=150)),
                ("actor_username", models.CharField(blank=True, max_length=150)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("created", "Account created"),
                            ("proposed", "Role proposed"),
                            ("approved", "Role approved"),
                            ("rejected", "Role rejected"),
                            ("revoked", "Role revoked"),
                            ("expired", "Role expired"),
                            ("changed", "Changed outside the approval"),
                            ("deactivated", "Account deactivated"),
                            ("reactivated", "Account reactivated"),
                            ("password_reset", "Password set"),
                            ("two_factor_reset", "Two-factor reset"),
                            ("login_changed", "Login provider subject changed"),
                            ("approver_set", "Made the municipality's role approver"),
                        ],
                        max_length=20,
                    ),
                ),
                ("role_from", models.CharField(blank=True, max_length=30)),
                ("role_to", models.CharField(blank=True, max_length=30)),
                ("is_active", models.BooleanField()),
                ("expires_at", models.DateTimeField(null=True)),
                ("reason", models.TextField(blank=True)),
                (
                    "actor",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "approved_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "department_to",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.department",
                    ),
                ),
                (
                    "municipality",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.municipality",
                    ),
                ),
                (
                    "unit_from",
                    models.ForeignKey(
                        null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.unit"
                    ),
                ),
                (
                    "unit_to",
                    models.ForeignKey(
                        null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.unit"
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="role_events",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "proposal",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="accounts.roleproposal",
                    ),
                ),
            ],
            options={
                "ordering": ["at", "id"],
                "indexes": [models.Index(fields=["user", "at"], name="accounts_ro_user_id_ad1f3d_idx")],
            },
        ),
        migrations.RunPython(start_the_history, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(_on_postgresql(TRIGGER), _on_postgresql(DROP_TRIGGER), elidable=False),
    ]
