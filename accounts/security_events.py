"""Security events written to the audit log (Wagtail's log entries on the person): sign-in, failed
sign-in, second factor added, removed or reset by its owner. They make the person's sign-in history
on the operations console (``/admin/ops/people/<id>/``) and its site history.

What an entry keeps: the device label ("Firefox on Windows") and the rough place the address says
(``accounts.devices``), never the address itself, the password or any second-factor secret. A failed
sign-in is logged against the account whose email was typed; an address of no account logs nothing
(there is no one to attach it to, and logging it would keep strangers' typos).
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from wagtail.log_actions import log

from core.http import client_ip

from .devices import device_from_user_agent, place_from_ip
from .models import User

LOG_SIGN_IN = "taptime.security.sign_in"
LOG_SIGN_IN_FAILED = "taptime.security.sign_in_failed"
LOG_MFA_ADDED = "taptime.security.second_factor_added"
LOG_MFA_REMOVED = "taptime.security.second_factor_removed"
LOG_MFA_RECOVERY_RESET = "taptime.security.recovery_codes_reset"
LOG_EXPORT_DOWNLOADED = "taptime.privacy.export_downloaded"
SIGN_IN_ACTIONS = (LOG_SIGN_IN, LOG_SIGN_IN_FAILED)


def _where(request: HttpRequest | None) -> dict[str, str]:
    if request is None or not hasattr(request, "META"):
        return {}
    device = device_from_user_agent(request.META.get("HTTP_USER_AGENT", ""))
    return {"device": str(device.label), "place": place_from_ip(client_ip(request))}


def security_event_record(*, user: User, action: str, request: HttpRequest | None = None, **data: str) -> None:
    """Log one security event on ``user``, done by ``user`` themselves, in the caller's transaction."""
    with transaction.atomic():
        log(instance=user, action=action, user=user, data={**_where(request), **data})


def sign_in_failure_record(*, credentials: dict, request: HttpRequest | None = None) -> bool:
    """Log a failed sign-in on the account the typed email belongs to; False when it belongs to none.

    ``credentials`` are Django's cleansed ones (the password already masked): only the email is read.
    """
    email = credentials.get("email") or credentials.get("username") or credentials.get("login") or ""
    if not isinstance(email, str) or not email.strip() or len(email) > 254:
        return False
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        return False
    with transaction.atomic():
        log(instance=user, action=LOG_SIGN_IN_FAILED, user=None, data=_where(request))
    return True
