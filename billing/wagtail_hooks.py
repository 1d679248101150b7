"""Billing in the Wagtail admin: the operations console's "cancel with refund" on a session's page.

Bookings' session page cannot import billing, so billing registers the action there
(``bookings.session_actions``) and serves its POST at ``/admin/ops/sessions/<pk>/cancel-refund/``.
"""

from django.urls import path
from django.utils.translation import gettext_lazy
from wagtail import hooks

from bookings.models import Booking
from bookings.session_actions import SessionAction, session_action_register
from bookings.views.sessions_admin import registered_action_view

from .services.staff_cancellation import booking_cancel_by_staff_with_refund


def _cancellable(booking: Booking, now) -> bool:
    return booking.status == Booking.Status.CONFIRMED and (booking.end > now or booking.cancelling_by == "staff")


session_action_register(
    SessionAction(
        key="cancel_refund",
        label=gettext_lazy("Cancel with a full refund"),
        url_name="ops_session_cancel_refund",
        help_text=gettext_lazy(
            "The learner gets the whole price back on their card; the time is freed and both participants are "
            "emailed. Cannot be undone."
        ),
        available=_cancellable,
        danger=True,
    )
)


@hooks.register("register_admin_urls")
def register_ops_cancel_refund_url():
    view = registered_action_view(
        key="cancel_refund",
        service=booking_cancel_by_staff_with_refund,
        done_message=gettext_lazy("Cancelled and refunded in full. Both participants are told by email."),
    )
    return [path("ops/sessions/<int:pk>/cancel-refund/", view, name="ops_session_cancel_refund")]
