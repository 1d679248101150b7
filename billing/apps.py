from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        from . import receivers, webhooks  # noqa: F401  (webhooks registers the Stripe event receivers)

        receivers.connect()

        from . import privacy, privacy_packages

        privacy.register()
        privacy_packages.register_packages()
