from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "trappa.jobs"
    label = "jobs"
