from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "trappa.referrals"
    label = "referrals"
