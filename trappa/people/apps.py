from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "trappa.people"
    label = "people"

    def ready(self):
        from trappa.people.receivers import end_follow_up
        from trappa.people.signals import follow_up_ended

        follow_up_ended.connect(end_follow_up, dispatch_uid="people.end_follow_up")
