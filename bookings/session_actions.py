"""Actions on a session that other apps add to the operations console's session page.

Bookings may not import billing (money builds on sessions), yet the console's session page must offer
"cancel with refund", which is billing's. Billing registers it here from its ``wagtail_hooks``; the
page lists what is registered and available, each a form with a reason posting to the action's own
admin URL (``url_name``, reversed with the booking's pk), which checks permission and calls the service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class SessionAction:
    key: str
    label: str
    url_name: str
    help_text: str
    available: Callable[[Any, datetime], bool]  # (booking, now) -> offered on this booking now
    danger: bool = False


_ACTIONS: dict[str, SessionAction] = {}


def session_action_register(action: SessionAction) -> SessionAction:
    """Add (or replace, by key: registering twice on reload is harmless) an action."""
    _ACTIONS[action.key] = action
    return action


def session_actions_available(*, booking, now: datetime) -> list[SessionAction]:
    return [action for action in _ACTIONS.values() if action.available(booking, now)]
