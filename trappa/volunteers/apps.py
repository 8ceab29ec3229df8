from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "trappa.volunteers"
    label = "volunteers"

    def ready(self):
        from trappa.lib import panels
        from trappa.volunteers import reports

        # Registered here because referrals and catalogue, below this app, cannot import it.
        panels.register("referrals:group", reports.group_panel)
        panels.register("catalogue:plan", reports.plan_panel)
        panels.register_table("catalogue:plan", reports.plan_export_table)
