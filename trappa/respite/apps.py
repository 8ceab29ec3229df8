from django.apps import AppConfig


class RespiteConfig(AppConfig):
    name = "trappa.respite"
    label = "respite"
