"""Packages' part of a person's data (registered with the privacy registry in ``billing.privacy``).

Export: every package the person bought or sold, with its credits. Erasure keeps the purchases and
credits (they are the accounting record of a payment, kept for the legal retention period, pointing
at the pseudonymised user; they hold no free text) and deletes purchases never paid. Before that,
``prepare`` refunds a learner's unused credits in full value, whatever the expiry setting says: an
erased account can no longer book with them.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts import privacy

from .errors import PaymentError
from .models import PackagePurchase, SessionCredit
from .services.credits import package_expire

logger = logging.getLogger(__name__)


def export_packages(*, user) -> dict[str, Any]:
    mine = PackagePurchase.objects.filter(Q(learner=user) | Q(expert=user))
    return {
        "package_purchases": mine.values(
            "id",
            "learner_id",
            "expert_id",
            "sessions_count",
            "duration_minutes",
            "price_minor",
            "currency",
            "validity_days",
            "status",
            "paid_at",
            "expires_at",
            "expiry_outcome",
            "created_at",
        ).iterator(),
        "session_credits": SessionCredit.objects.filter(purchase__in=mine)
        .values("purchase_id", "number", "value_minor", "status", "booking_id", "used_at")
        .iterator(),
    }


def _unused(user):
    return PackagePurchase.objects.filter(
        learner=user, status=PackagePurchase.Status.PAID, credits__status=SessionCredit.Status.AVAILABLE
    ).distinct()


def consequences_packages(*, user, now) -> list[str]:
    if _unused(user).exists():
        return [_("The unused sessions of your packages are refunded to the card you paid with.")]
    return []


def prepare_packages(*, user, now) -> None:
    for purchase_id in _unused(user).values_list("pk", flat=True):
        try:
            package_expire(purchase_id=purchase_id, now=now, refund_now=True)
        except PaymentError:
            logger.warning("Erasure of user %s: package %s could not be refunded", user.pk, purchase_id)


def erase_packages(*, user, pseudonym: str) -> None:
    PackagePurchase.objects.filter(learner=user, status=PackagePurchase.Status.PENDING).delete()


def register_packages() -> None:
    privacy.register(
        "billing_packages",
        export=export_packages,
        erase=erase_packages,
        consequences=consequences_packages,
        prepare=prepare_packages,
        models=[PackagePurchase, SessionCredit],
    )
