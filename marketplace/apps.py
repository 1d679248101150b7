from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = "Marketplace"

    def ready(self) -> None:
        from . import signals

        signals.connect()

        from . import privacy

        privacy.register()

        from . import announcement_audience

        announcement_audience.register()
