from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "trappa.volunteers"
    label = "volunteers"
