from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trappa.accounts"
    label = "accounts"
