from django.apps import AppConfig


class CaregiversConfig(AppConfig):
    name = "trappa.caregivers"
    label = "caregivers"
