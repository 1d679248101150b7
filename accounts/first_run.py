"""Where a member goes before their usual home, registered by the apps above accounts.

A higher app (``learning``: the onboarding of a new learner) registers a function that
returns a path for a user who still has something to do first, or ``None``. The account
adapter asks the registry after a sign-in and after an address is verified, so accounts
never imports the app that decides.
"""

from __future__ import annotations

from collections.abc import Callable

FirstRun = Callable[[object], str | None]

first_run_redirects: list[FirstRun] = []


def first_run_url(user) -> str | None:
    """The first registered destination for ``user``, or None when nothing is pending."""
    for decide in first_run_redirects:
        url = decide(user)
        if url:
            return url
    return None
