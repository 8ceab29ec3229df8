from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "trappa.reports"
    label = "reports"
