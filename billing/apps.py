from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        from . import checkout, webhooks  # noqa: F401  (webhooks connects the Stripe event receivers)

        checkout.connect()
