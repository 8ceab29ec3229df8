from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "trappa.audit"
    label = "audit"

    def ready(self):
        from trappa.audit.receivers import end_follow_up
        from trappa.people.signals import follow_up_ended

        follow_up_ended.connect(end_follow_up, dispatch_uid="audit.end_follow_up")
