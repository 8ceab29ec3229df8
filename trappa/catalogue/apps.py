from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "trappa.catalogue"
    label = "catalogue"
