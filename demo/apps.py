from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Every demo seeder. Installed by the dev and test settings only (see ``seed_demo``)."""

    name = "demo"
    verbose_name = "Demo data"
