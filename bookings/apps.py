from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = "Bookings"

    def ready(self) -> None:
        from accounts.secrets import encrypted_columns_register

        from . import receivers

        receivers.connect()

        from . import privacy

        privacy.register()
        # Secrets stored with accounts.secrets.secret_encrypt, re-encrypted by manage.py rotate_secrets.
        encrypted_columns_register("bookings.CalendarFeed", "token_encrypted")
        encrypted_columns_register("bookings.ExpertCalendar", "url_encrypted")
        encrypted_columns_register("bookings.ConnectedCalendar", "access_token", "refresh_token")
