# The referral source "relative" is the caregiver (pårørende) of docs/glossary.md.

from django.db import migrations, models


def relative_to_caregiver(apps, schema_editor):
    apps.get_model("referrals", "Referral").objects.filter(source="relative").update(source="caregiver")


def caregiver_to_relative(apps, schema_editor):
    apps.get_model("referrals", "Referral").objects.filter(source="caregiver").update(source="relative")


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0003_enrollment_fee_paid_by"),
    ]

    operations = [
        migrations.AlterField(
            model_name="referral",
            name="source",
            field=models.CharField(
                choices=[
                    ("hospital", "Hospital"),
                    ("gp", "General practitioner"),
                    ("home_services", "Home services"),
                    ("nursing_home", "Nursing home"),
                    ("service_office", "Service office"),
                    ("health_station", "Health station for older adults"),
                    ("self", "The person"),
                    ("caregiver", "A caregiver"),
                ],
                max_length=20,
                verbose_name="referred by",
            ),
        ),
        migrations.RunPython(relative_to_caregiver, caregiver_to_relative),
    ]
