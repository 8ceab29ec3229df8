"""Name the municipality's role approver: who approves roles without a unit, and roles of a unit with no leader.

Run by whoever operates Trappa (with the municipality's decision in hand), not
from the administrator's pages, so an administrator cannot make itself or an
account it created the approver.
"""

from django.core.management.base import BaseCommand, CommandError

from trappa.accounts.history import record
from trappa.accounts.models import Municipality, RoleEventKind, User
from trappa.accounts.roles import ROLE_MANAGERS


class Command(BaseCommand):
    help = "Set the user who approves roles for a municipality (Municipality.role_approver)."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="The municipality number, e.g. 1824.")
        parser.add_argument("--username", required=True)
        parser.add_argument("--reason", required=True, help="The decision that names this approver.")

    def handle(self, *args, municipality, username, reason, **options):
        place = Municipality.objects.filter(number=municipality).first()
        if place is None:
            raise CommandError(f"No municipality {municipality}")
        user = User.objects.filter(username=username, municipality=place, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username} in {place}")
        if user.role not in ROLE_MANAGERS:
            # The approval page is for these two roles (trappa/accounts/role_views.py).
            raise CommandError("The role approver must be a unit leader or an administrator")
        place.role_approver = user
        place.save(update_fields=["role_approver"])
        record(user, RoleEventKind.APPROVER_SET, actor=None, reason=reason)
        self.stdout.write(f"{username} now approves roles in {place}.")
