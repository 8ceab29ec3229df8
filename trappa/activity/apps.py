from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "trappa.activity"
    label = "activity"
