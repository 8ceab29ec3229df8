from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "trappa.planning"
    label = "planning"
