from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "trappa.api"
    label = "api"
