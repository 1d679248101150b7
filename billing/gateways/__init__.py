"""Payment gateways behind one small interface; ``payment_gateway()`` hands out the configured one.

Services talk to ``payment_gateway()``, never to the ``stripe`` module, so
tests can swap the gateway and a second provider would plug in here. The
``PAYMENT_GATEWAY`` setting names the class: ``stripe.StripeGateway`` in live
mode, ``testmode.TestModeGateway`` (Stripe test mode plus the offline demo's
extras) everywhere else.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from .base import DisputeState, GatewayDeclined, IntentState, PaymentGateway, RefundState

__all__ = ["DisputeState", "GatewayDeclined", "IntentState", "PaymentGateway", "RefundState", "payment_gateway"]


def payment_gateway() -> PaymentGateway:
    """A new instance of the gateway ``PAYMENT_GATEWAY`` names."""
    return import_string(settings.PAYMENT_GATEWAY)()
