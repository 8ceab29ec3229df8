from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "trappa.people"
    label = "people"
