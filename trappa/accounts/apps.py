from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trappa.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from trappa.accounts.middleware import note_login_time

        user_logged_in.connect(note_login_time, dispatch_uid="trappa_note_login_time")

        from trappa.accounts import history  # noqa: F401  (connects the role history's signals)
