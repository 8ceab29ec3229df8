from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "trappa.assessments"
    label = "assessments"
