from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from bookings.signals import booking_changed

        from .receivers import record_booking_webhooks

        booking_changed.connect(record_booking_webhooks, dispatch_uid="api-booking-webhooks")

        from . import privacy

        privacy.register()
