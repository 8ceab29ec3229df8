from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "trappa.letters"
    label = "letters"
