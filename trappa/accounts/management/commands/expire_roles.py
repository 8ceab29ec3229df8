"""Take away the roles whose time is up (they already stopped counting at that moment); run nightly."""

from django.core.management.base import BaseCommand

from trappa.accounts.approval import expire_roles


class Command(BaseCommand):
    help = "Take away every role whose expiry has passed, writing 'expired' into the role history."

    def handle(self, *args, **options):
        expired = expire_roles()
        for user in expired:
            self.stdout.write(f"Role expired: {user.username}")
        self.stdout.write(f"{len(expired)} roles expired.")
