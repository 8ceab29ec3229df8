from django.apps import AppConfig


class CaregiversConfig(AppConfig):
    name = "trappa.caregivers"
    label = "caregivers"

    def ready(self):
        from trappa.caregivers.receivers import prompt_after_import
        from trappa.people.signals import register_imported

        register_imported.connect(prompt_after_import, dispatch_uid="caregivers-prompt-after-import")
