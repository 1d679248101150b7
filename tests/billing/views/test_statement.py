"""The expert's monthly statement PDF: their own movements, fees and totals; a bad month is a 400."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from billing.services.ledger import ledger_reverse
from billing.views.receipts import statement_month, statement_months
from tests.factories import ExpertUserFactory, UserFactory

from ..money_builders import past_paid_session

pytestmark = pytest.mark.django_db
URL = reverse("expert_statement")


def text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def this_month() -> str:
    return timezone.now().strftime("%Y-%m")


def test_the_statement_lists_the_months_sessions_fees_and_totals(client):
    payment = past_paid_session(ended_days_ago=0, amount=8_000)
    ledger_reverse(reference=payment.ledger_reference, refunded_total=2_000)
    client.force_login(payment.payee)
    content = text(client.get(URL, {"month": this_month()}))
    assert "Earnings statement" in content and payment.payee.full_name in content
    assert payment.ledger_reference in content
    # 80.00 paid, 15 % fee 12.00, share 68.00; 20.00 refunded takes back 3.00 fee and 17.00 share.
    assert "Learners paid (EUR): €60.00" in content
    assert "TapTime fees (EUR): €9.00" in content
    assert "Your earnings (EUR): €51.00" in content


def test_another_experts_movements_never_appear(client):
    payment = past_paid_session(ended_days_ago=0)
    other = ExpertUserFactory()
    client.force_login(other)
    content = text(client.get(URL, {"month": this_month()}))
    assert payment.ledger_reference not in content and "No earnings, fees or payouts this month." in content


@pytest.mark.parametrize("month", ["", "2026", "2026-13", "2026-1", "abcd-ef", "2019-12", "2999-01", "2026-01-01"])
def test_a_bad_or_future_month_is_refused_with_a_message(client, month):
    client.force_login(ExpertUserFactory())
    response = client.get(URL, {"month": month})
    assert response.status_code == 400 and b"Choose a month" in response.content


def test_learners_and_visitors_cannot_fetch_statements(client):
    assert client.get(URL, {"month": this_month()})["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    assert client.get(URL, {"month": this_month()}).status_code == 403


def test_the_statement_costs_the_same_queries_with_two_or_twenty_movements(client):
    expert = ExpertUserFactory()
    counts = []
    for extra in (2, 18):
        for _n in range(extra):
            past_paid_session(expert=expert, ended_days_ago=0)
        client.force_login(expert)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"month": this_month()}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_earnings_page_links_the_statement_with_a_month_selector(client):
    payment = past_paid_session(ended_days_ago=0)
    client.force_login(payment.payee)
    page = client.get(reverse("expert_earnings")).content.decode()
    assert f'action="{URL}"' in page and 'name="month"' in page
    assert f'value="{this_month()}"' in page


def test_month_parsing_and_the_selector():
    today = date(2026, 3, 15)
    assert statement_month("2026-03", today=today) == date(2026, 3, 1)
    assert statement_month("2026-04", today=today) is None
    assert statement_months(today=today, count=3) == [date(2026, 3, 1), date(2026, 2, 1), date(2026, 1, 1)]
