"""Security battery: every page and endpoint without an argument, asked with hostile query strings and
junk form posts by each kind of visitor, answers with a page or a 4xx — never a 500.

The routes come from Django's resolver (``routes.all_routes``), so a new page is swept the day it
ships. The junk mirrors what scanners and curious users send: negative and enormous numbers,
impossible dates, quotes, NUL bytes, markup, arrays where a scalar is expected, and very long values,
under every query parameter name the site reads.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.builders import bookable_expert, onboarded
from tests.factories import UserFactory

from .routes import all_routes

pytestmark = [pytest.mark.security, pytest.mark.django_db]

PARAMETERS = (
    "page",
    "cursor",
    "q",
    "sort",
    "order",
    "ordering",
    "from",
    "to",
    "start",
    "end",
    "date",
    "day",
    "week",
    "month",
    "year",
    "period",
    "tz",
    "length",
    "category",
    "skill",
    "language",
    "lang",
    "status",
    "kind",
    "type",
    "currency",
    "price_min",
    "price_max",
    "min",
    "max",
    "next",
    "expert",
    "learner",
    "booking",
    "goal",
    "rating",
    "available",
    "level",
    "format",
    "export",
    "page_size",
    "limit",
    "offset",
    "id",
)
JUNK = (
    "-1",
    "99999999999999999999999",
    "2026-13-45' OR 1=1 --",
    "nan%00\x00<script>",
    "x" * 3000,
)
# Paths whose purpose is to answer other services or to stream without a page; swept elsewhere.
SKIP_PREFIXES = ("static/", "media/", "__debug__", "stripe/", "_allauth/")
# Wagtail's staff-only page that raises on purpose, to try the error pages.
SKIP = {"/admin/failwhale/"}


def _paths() -> list[str]:
    paths = []
    for route in all_routes():
        if route.takes_arguments or route.route.startswith(SKIP_PREFIXES):
            continue
        path = route.path()
        if path in SKIP or "(" in path or "?" in path or "*" in path:
            continue  # a regex pattern without groups that is not a literal path
        paths.append(path)
    return sorted(set(paths))


@pytest.fixture
def visitors(db):
    learner = onboarded(UserFactory(email="junk-learner@example.com"))
    expert = bookable_expert().profile.user
    staff = UserFactory(email="junk-staff@example.com", is_staff=True, is_superuser=True)
    clients = {"anonymous": Client()}
    for name, user in (("learner", learner), ("expert", expert), ("staff", staff)):
        clients[name] = Client()
        clients[name].force_login(user)
    return clients


def _query(junk: str) -> dict[str, list[str] | str]:
    return {name: [junk, junk] if name in ("category", "skill", "language") else junk for name in PARAMETERS}


def test_every_page_answers_junk_query_strings_without_a_server_error(visitors):
    failures = []
    for path in _paths():
        for role, client in visitors.items():
            for junk in JUNK:
                try:
                    response = client.get(path, _query(junk))
                except Exception as error:  # the test client re-raises what would be a 500
                    failures.append(f"{role} GET {path} {junk[:20]!r}: {type(error).__name__}: {error}"[:300])
                    break
                if response.status_code >= 500:
                    failures.append(f"{role} GET {path} {junk[:20]!r}: {response.status_code}")
                    break
    print("\n".join(failures))
    assert failures == []


def test_every_form_answers_junk_posts_without_a_server_error(visitors):
    failures = []
    for path in _paths():
        for role, client in visitors.items():
            for junk in ("-1", "' OR 1=1 --" + "x" * 3000):
                data = dict.fromkeys((*PARAMETERS, "email", "password", "name", "body", "amount", "slot"), junk)
                try:
                    response = client.post(path, data)
                except Exception as error:
                    failures.append(f"{role} POST {path} {junk[:20]!r}: {type(error).__name__}: {error}"[:300])
                    break
                if response.status_code >= 500:
                    failures.append(f"{role} POST {path} {junk[:20]!r}: {response.status_code}")
                    break
    print("\n".join(failures))
    assert failures == []
