from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "trappa.outreach"
    label = "outreach"
