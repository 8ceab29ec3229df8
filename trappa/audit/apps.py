from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "trappa.audit"
    label = "audit"
