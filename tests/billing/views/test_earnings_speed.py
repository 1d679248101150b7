"""The earnings page at scale: the chart is drawn once per version of the expert's ledger, the movements
are paged without counting them all, and the query count does not grow with the movements."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import billing.views.earnings as earnings_view
from tests.factories import ExpertUserFactory

from ..money_builders import past_paid_session

pytestmark = pytest.mark.django_db
URL = reverse("expert_earnings")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def drawn(monkeypatch):
    calls = []
    real = earnings_view.bar_chart

    def counting(**kwargs):
        calls.append(kwargs["labels"])
        return real(**kwargs)

    monkeypatch.setattr(earnings_view, "bar_chart", counting)
    return calls


def queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_the_chart_is_drawn_once_until_the_ledger_changes(client, drawn):
    payment = past_paid_session(ended_days_ago=3)
    client.force_login(payment.payee)
    client.get(URL)
    client.get(URL)
    assert len(drawn) == 1
    past_paid_session(expert=payment.payee, ended_days_ago=2)  # a new entry: a new version
    page = client.get(URL).content.decode()
    assert len(drawn) == 2 and "€136.00" in page


def test_another_experts_chart_is_never_served_from_the_cache(client, drawn):
    mine = past_paid_session(ended_days_ago=3, amount=8_000)
    theirs = past_paid_session(ended_days_ago=3, amount=20_000)
    client.force_login(mine.payee)
    client.get(URL)
    client.force_login(theirs.payee)
    page = client.get(URL).content.decode()
    assert len(drawn) == 2 and "€170.00" in page and "€68.00" not in page


def test_query_count_is_the_same_for_three_and_sixty_movements_warm_and_cold(client):
    small, large = ExpertUserFactory(), ExpertUserFactory()
    for _n in range(3):
        past_paid_session(expert=small, ended_days_ago=3)
    for _n in range(60):
        past_paid_session(expert=large, ended_days_ago=3)
    client.force_login(ExpertUserFactory())
    client.get(URL)  # the process's one-off lookups (the site, the settings) out of the way
    counts = {}
    for name, expert in (("small", small), ("large", large)):
        client.force_login(expert)
        counts[name, "cold"] = queries(client)
        counts[name, "warm"] = queries(client)
    assert counts["small", "cold"] == counts["large", "cold"]
    assert counts["small", "warm"] == counts["large", "warm"] < counts["large", "cold"]


def test_pages_go_older_and_newer_and_a_page_past_the_end_shows_the_first(client):
    expert = ExpertUserFactory()
    payments = [past_paid_session(expert=expert, ended_days_ago=3) for _n in range(30)]
    client.force_login(expert)
    first = client.get(URL).content.decode()
    assert 'rel="next"' in first and 'rel="prev"' not in first and payments[-1].ledger_reference in first
    second = client.get(URL, {"page": 2}).content.decode()
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert payments[0].ledger_reference in second and payments[-1].ledger_reference not in second
    for page in ("999", "99999999999999999999", "-1", "abc"):
        response = client.get(URL, {"page": page})
        assert response.status_code == 200 and payments[-1].ledger_reference in response.content.decode()
    assert "There is no page 999" in client.get(URL, {"page": 999}).content.decode()
