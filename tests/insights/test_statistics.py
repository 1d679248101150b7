"""/admin/statistics/: figures equal SQL counts and the ledger to the minor unit (stored days and today's
live ones alike), per currency; per-group access; wrong inputs answered with 400; CSV and XLSX; a fixed
query count as data grows."""

import datetime as dt
import io
from datetime import timedelta
from unittest import mock

import openpyxl
import pytest
import tablib
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from billing.selectors import ledger_platform_balances
from billing.services.ledger import ledger_reverse
from bookings.models import Booking
from core.spreadsheets import guard_cell
from insights.models import DailyFigure
from insights.periods import Period
from insights.services import daily_figures_refresh
from insights.statistics import statistics_report
from insights.tasks import refresh_daily_figures
from tests.billing.money_builders import past_paid_session
from tests.factories import ExpertUserFactory, UserFactory
from tests.marketplace.factories import make_category, make_expert

pytestmark = pytest.mark.django_db

URL = "/admin/statistics/"
REAL_NOW = timezone.now


@pytest.fixture(autouse=True)
def groups(db):
    call_command("ops_groups", stdout=io.StringIO())


def member(group):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def today():
    return timezone.now().astimezone(dt.UTC).date()


def posted_days_ago(days, build):
    """Run ``build`` with the clock ``days`` back, so its ledger postings carry that day (the ledger is append-only)."""
    with mock.patch("django.utils.timezone.now", return_value=REAL_NOW() - timedelta(days=days)):
        return build()


def make_sessions(n_eur=3, n_usd=1, *, days_ago=5, all_old=False):
    """Completed, paid sessions; the first EUR ones' money posted ``days_ago`` days ago (stored), the rest
    today (counted live) unless ``all_old``."""
    expert = ExpertUserFactory()
    old = n_eur + n_usd if all_old else n_eur // 2 + 1
    payments = []
    for i in range(n_eur + n_usd):
        currency, amount = ("EUR", 8_000) if i < n_eur else ("USD", 5_000)

        def build(currency=currency, amount=amount):
            return past_paid_session(expert=expert, ended_days_ago=days_ago, currency=currency, amount=amount)

        payments.append(posted_days_ago(days_ago, build) if i < old else build())
    for payment in payments:
        Booking.objects.filter(pk=payment.booking_id).update(confirmed_at=REAL_NOW() - timedelta(days=days_ago + 1))
    return payments


def ledger_figures():
    balances = ledger_platform_balances()
    currencies = {currency for (_kind, currency) in balances}
    return {
        c: {
            "gross_minor": -balances.get(("learner_payments", c), 0),
            "revenue_minor": balances.get(("platform_revenue", c), 0),
            "refunds_minor": balances.get(("refunds", c), 0),
        }
        for c in currencies
    }


def report_money(report):
    return {currency: {row.key: row.total for row in rows} for currency, rows in report.money.items()}


def test_stored_and_live_figures_equal_the_ledger_and_sql_counts():
    payments = make_sessions()
    ledger_reverse(reference=payments[0].ledger_reference, memo="refund")  # posted today: counted live
    Booking.objects.create(
        learner=UserFactory(),
        expert=payments[0].payee,
        start=timezone.now() - timedelta(days=3),
        end=timezone.now() - timedelta(days=3) + timedelta(hours=1),
        status=Booking.Status.CANCELLED_BY_LEARNER,
        confirmed_at=timezone.now() - timedelta(days=4),
        amount_minor=100,
        currency="EUR",
    )
    daily_figures_refresh(start=today() - timedelta(days=60), end=today() - timedelta(days=1))
    report = statistics_report(period=Period(today() - timedelta(days=29), today()), granularity="week", today=today())

    assert report_money(report) == ledger_figures()
    assert report_money(report)["EUR"]["refunds_minor"] == 8_000 and set(report.money) == {"EUR", "USD"}
    counts = {row.key: row.total for row in report.counts}
    in_period = Booking.objects.filter(start__date__gte=report.period.start)
    assert counts["sessions_completed"] == in_period.filter(status="completed").count() == 4
    assert counts["sessions_cancelled"] == 1 and counts["sessions_no_show"] == 0
    assert counts["sessions_booked"] == Booking.objects.exclude(confirmed_at=None).count() == 5
    assert counts["completion_rate"] == 80.0
    assert counts["active_experts"] == 1
    assert counts["users_joined"] == get_users_joined(report.period)
    # The stored rows hold the older half; today's live figures add the rest, never twice.
    stored_eur = sum(DailyFigure.objects.filter(category=None, currency="EUR").values_list("gross_minor", flat=True))
    assert 0 < stored_eur < report_money(report)["EUR"]["gross_minor"]


def get_users_joined(period):
    return UserFactory._meta.model.objects.filter(date_joined__date__gte=period.start).count()


def test_the_previous_period_is_compared_and_currencies_are_never_summed():
    make_sessions(n_eur=2, n_usd=2, days_ago=40, all_old=True)
    daily_figures_refresh(start=today() - timedelta(days=90), end=today() - timedelta(days=1))
    report = statistics_report(period=Period(today() - timedelta(days=29), today()), granularity="day", today=today())
    assert {c: {r.key: r.previous for r in rows} for c, rows in report.money.items()} == ledger_figures()
    assert {c: {r.key: r.total for r in rows} for c, rows in report.money.items()} == {
        "EUR": {"gross_minor": 0, "revenue_minor": 0, "refunds_minor": 0},
        "USD": {"gross_minor": 0, "revenue_minor": 0, "refunds_minor": 0},
    }
    assert len(report.labels) == 30


def test_the_refresh_is_idempotent_and_the_task_counts_the_recent_days():
    make_sessions(days_ago=3)
    first = refresh_daily_figures()
    rows = sorted(DailyFigure.objects.values_list("day", "category", "currency", "gross_minor", "sessions_completed"))
    assert first == refresh_daily_figures() == len(rows) > 0
    assert rows == sorted(
        DailyFigure.objects.values_list("day", "category", "currency", "gross_minor", "sessions_completed")
    )


@pytest.mark.parametrize(
    ("who", "expected"), [("Finance", 200), ("Administrators", 200), ("Support", 302), ("Content editors", 302)]
)
def test_finance_and_administrators_see_the_statistics(client, who, expected):
    client.force_login(member(who))
    response = client.get(URL)
    assert response.status_code == expected
    if expected == 302:
        assert "/login/" not in response["Location"]
        assert client.get(URL + "?export=csv").status_code == 302


def test_anonymous_and_learners_go_to_the_login(client):
    assert "/login/" in client.get(URL)["Location"]
    client.force_login(UserFactory())
    assert "/login/" in client.get(URL)["Location"]


def test_the_page_shows_charts_beside_tables(client):
    make_sessions()
    client.force_login(member("Finance"))
    body = client.get(URL).content.decode()
    assert (
        body.count('<img src="data:image/svg+xml;base64,') == body.count('<table class="listing">') == 6
    )  # sessions, people, quality, funnel, EUR, USD
    assert "Money in EUR" in body and "Money in USD" in body and "<caption>" in body


@pytest.mark.parametrize(
    "query",
    [
        "start=2026-02-30",
        "start=yesterday",
        "start=2025-03-10&end=2025-03-01",
        "start=2020-01-01&end=2025-01-01",
        "start=2025-01-01&end=2025-12-31&granularity=day",
        "granularity=hour",
        "category=999999",
        "category=abc",
        "end=2999-01-01",
        "export=pdf",
    ],
)
def test_wrong_inputs_are_answered_with_400_and_a_message(client, query):
    client.force_login(member("Finance"))
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_statistics_download_as_csv_and_xlsx_with_the_same_figures(client):
    make_sessions()
    refresh_daily_figures()
    client.force_login(member("Finance"))
    csv_response = client.get(URL + "?granularity=month&export=csv")
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    assert "attachment;" in csv_response["Content-Disposition"]
    csv_rows = tablib.Dataset().load(csv_response.content.decode(), format="csv")
    xlsx_response = client.get(URL + "?granularity=month&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_response.content)).active
    xlsx_rows = list(sheet.iter_rows(values_only=True))
    gross_csv = [row for row in csv_rows if row[0].startswith("Gross") and row[1] == "EUR"][0]
    gross_xlsx = [row for row in xlsx_rows if str(row[0]).startswith("Gross") and row[1] == "EUR"][0]
    total_column = csv_rows.headers.index("total")
    assert int(gross_csv[total_column]) == gross_xlsx[total_column] == ledger_figures()["EUR"]["gross_minor"]


@pytest.mark.parametrize("text", ["=HYPERLINK(1)", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_would_start_a_formula_is_guarded(text):
    assert guard_cell(text) == "'" + text
    assert guard_cell("Ada") == "Ada" and guard_cell(-5) == -5


def test_the_query_count_is_fixed_as_data_grows(client):
    client.force_login(member("Finance"))
    make_sessions(n_eur=2, n_usd=1)
    refresh_daily_figures()
    client.get(URL + "?granularity=week")  # warm today's live cache and the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL + "?granularity=week").status_code == 200
    make_sessions(n_eur=20, n_usd=10, days_ago=12)
    refresh_daily_figures()
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL + "?granularity=week").status_code == 200
    assert len(many) == len(few)


def test_a_category_counts_its_experts_and_its_subcategories_experts_only(client, expert_index):
    languages = make_category("Languages", "languages")
    spanish = make_category("Spanish", "spanish", parent=languages)
    music = make_category("Music", "music")
    listed = make_expert(expert_index, name="Lola Listed", currency="EUR", categories=[spanish]).user
    for expert in (listed, ExpertUserFactory()):
        posted_days_ago(3, lambda expert=expert: past_paid_session(expert=expert, ended_days_ago=3))
    daily_figures_refresh(start=today() - timedelta(days=10), end=today() - timedelta(days=1))
    period = Period(today() - timedelta(days=6), today())

    def completed_and_gross(category):
        report = statistics_report(period=period, granularity="day", category=category, today=today())
        counts = {row.key: row.total for row in report.counts}
        assert ("users_joined" in counts) == (category is None)  # a person has no category
        return counts["sessions_completed"], counts["active_experts"], report_money(report).get("EUR", {})

    assert completed_and_gross(None)[:2] == (2, 2)
    for category in (spanish, languages):
        assert completed_and_gross(category) == (
            1,
            1,
            {"gross_minor": 8_000, "revenue_minor": 1_200, "refunds_minor": 0},
        )
    assert completed_and_gross(music) == (0, 0, {})
    client.force_login(member("Finance"))
    response = client.get(f"{URL}?category={spanish.pk}")
    assert response.status_code == 200 and "Experts listed in" in response.content.decode()
