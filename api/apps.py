from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from accounts.secrets import encrypted_columns_register
        from billing.signals import withdrawal_paid
        from bookings.signals import booking_changed
        from reviews.signals import reviews_published

        from .receivers import record_booking_webhooks, record_payout_webhooks, record_review_webhooks

        booking_changed.connect(record_booking_webhooks, dispatch_uid="api-booking-webhooks")
        reviews_published.connect(record_review_webhooks, dispatch_uid="api-review-webhooks")
        withdrawal_paid.connect(record_payout_webhooks, dispatch_uid="api-payout-webhooks")

        from . import privacy

        privacy.register()
        # The webhook signing secret is stored with accounts.secrets (re-encrypted by manage.py rotate_secrets).
        encrypted_columns_register("api.WebhookEndpoint", "secret")
