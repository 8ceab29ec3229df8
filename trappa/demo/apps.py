from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo: its commands, the synthetic population generator and the demo data.
    The top layer: it may use every other app, and no product app uses it."""

    name = "trappa.demo"
    label = "demo"
