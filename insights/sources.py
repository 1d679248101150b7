"""The daily figures counted from the source tables (users, sessions, reviews, the ledger).

``source_figures(start=, end=)`` returns, for every UTC day in the range, the platform's figures and
each category's, as ``{(day, category_id or None, currency or ""): {field: value}}``. The scheduled
refresh stores them as ``DailyFigure`` rows; the statistics page computes today's the same way, so a
stored day and a live day can never be counted by different rules. A fixed number of queries
however many days or rows (eight).

Rules, each the one the docs (docs/operations.md, "Platform statistics") state:
- users joined: accounts created that day (platform only: a person has no category);
- sessions booked: bookings confirmed (paid) that day;
- completed / cancelled / no-show: sessions *starting* that day in that final state; cancelled counts
  only sessions that had been paid (an unpaid hold that lapses is not a cancelled session);
- ratings: reviews written that day and not hidden by moderation (a sum and a count, so an average
  over any period is exact);
- money, from the ledger by the day it was posted, per currency: gross = what learners paid,
  revenue = the platform's commission net of commission given back on refunds, refunds = what went
  back to learners. Over all days these equal the ledger's own balances;
- the funnel (platform only): visitors of that day by the furthest step reached in order
  (insights.funnel), from the page views of browsers that accepted analytics.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Count, DateField, Sum
from django.db.models.functions import Trunc, TruncDate

from billing.models import LedgerAccount, LedgerEntry, LedgerTransaction, Payment
from bookings.models import Booking
from marketplace.models import ExpertPage
from reviews.models import SessionReview

from .funnel import funnel_counts
from .models import FunnelEvent

COUNT_FIELDS = (
    "users_joined",
    "sessions_booked",
    "sessions_completed",
    "sessions_cancelled",
    "sessions_no_show",
    "rating_sum",
    "rating_count",
    "funnel_visitors",
    "funnel_expert_page",
    "funnel_hold",
    "funnel_paid",
)
MONEY_FIELDS = ("gross_minor", "revenue_minor", "refunds_minor")

COMPLETED = (Booking.Status.COMPLETED,)
CANCELLED = (
    Booking.Status.CANCELLED_BY_LEARNER,
    Booking.Status.CANCELLED_BY_EXPERT,
    Booking.Status.CANCELLED_REFUNDED,
)
NO_SHOW = (Booking.Status.NO_SHOW_LEARNER, Booking.Status.NO_SHOW_EXPERT)
UTC = dt.UTC

Key = tuple[dt.date, int | None, str]


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=UTC),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=UTC),
    )


def expert_categories() -> dict[int, frozenset[int]]:
    """{expert user id: the ids of the categories their pages list, and those categories' parents}."""
    rows = ExpertPage.categories.through.objects.values_list(
        "expertpage__profile__user_id", "category_id", "category__parent_id"
    )
    found: dict[int, set[int]] = defaultdict(set)
    for user_id, category_id, parent_id in rows:
        if user_id is None:
            continue
        found[user_id].add(category_id)
        if parent_id:
            found[user_id].add(parent_id)
    return {user_id: frozenset(ids) for user_id, ids in found.items()}


def _scopes(expert_id: int | None, categories: dict[int, frozenset[int]]) -> list[int | None]:
    return [None, *sorted(categories.get(expert_id, ()))] if expert_id is not None else [None]


def _add(figures, key: Key, field: str, value: int) -> None:
    figures[key][field] = figures[key].get(field, 0) + value


def _add_sessions(figures, start, end, categories) -> None:
    low, high = _bounds(start, end)
    booked = (
        Booking.objects.filter(confirmed_at__gte=low, confirmed_at__lt=high)
        .annotate(day=TruncDate("confirmed_at", tzinfo=UTC))
        .values_list("day", "expert_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for day, expert_id, n in booked:
        for scope in _scopes(expert_id, categories):
            _add(figures, (day, scope, ""), "sessions_booked", n)
    outcomes = (
        Booking.objects.filter(start__gte=low, start__lt=high, status__in=(*COMPLETED, *CANCELLED, *NO_SHOW))
        .exclude(status__in=CANCELLED, confirmed_at__isnull=True)
        .annotate(day=TruncDate("start", tzinfo=UTC))
        .values_list("day", "expert_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for day, expert_id, status, n in outcomes:
        field = (
            "sessions_completed"
            if status in COMPLETED
            else "sessions_cancelled"
            if status in CANCELLED
            else "sessions_no_show"
        )
        for scope in _scopes(expert_id, categories):
            _add(figures, (day, scope, ""), field, n)


def _add_users_and_ratings(figures, start, end, categories) -> None:
    low, high = _bounds(start, end)
    joined = (
        get_user_model()
        .objects.filter(date_joined__gte=low, date_joined__lt=high)
        .annotate(day=TruncDate("date_joined", tzinfo=UTC))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    for day, n in joined:
        _add(figures, (day, None, ""), "users_joined", n)
    ratings = (
        SessionReview.objects.filter(created_at__gte=low, created_at__lt=high, hidden_at__isnull=True)
        .annotate(day=TruncDate("created_at", tzinfo=UTC))
        .values_list("day", "booking__expert_id")
        .annotate(total=Sum("rating"), n=Count("id"))
        .order_by()
    )
    for day, expert_id, total, n in ratings:
        for scope in _scopes(expert_id, categories):
            _add(figures, (day, scope, ""), "rating_sum", total)
            _add(figures, (day, scope, ""), "rating_count", n)


def _payment_pk(reference: str) -> int | None:
    root = reference.split(":", 1)[0]
    number = root.removeprefix("payment-")
    return int(number) if root.startswith("payment-") and number.isdigit() else None


def _add_money(figures, start, end, categories) -> None:
    low, high = _bounds(start, end)
    kinds = (LedgerAccount.Kind.LEARNER_PAYMENTS, LedgerAccount.Kind.PLATFORM_REVENUE, LedgerAccount.Kind.REFUNDS)
    entries = list(
        LedgerEntry.objects.filter(
            account__kind__in=kinds, transaction__created_at__gte=low, transaction__created_at__lt=high
        )
        .annotate(day=TruncDate("transaction__created_at", tzinfo=UTC))
        .values_list("day", "currency", "account__kind", "transaction__kind", "transaction__reference")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    payment_ids = {pk for *_rest, reference, _total in entries if (pk := _payment_pk(reference)) is not None}
    payees = dict(Payment.objects.filter(pk__in=payment_ids).values_list("pk", "payee_id")) if payment_ids else {}
    for day, currency, account_kind, transaction_kind, reference, total in entries:
        if account_kind == LedgerAccount.Kind.LEARNER_PAYMENTS:
            if transaction_kind != LedgerTransaction.Kind.PAYMENT:
                continue
            field, value = "gross_minor", -total
        elif account_kind == LedgerAccount.Kind.PLATFORM_REVENUE:
            field, value = "revenue_minor", total
        else:
            field, value = "refunds_minor", total
        for scope in _scopes(payees.get(_payment_pk(reference)), categories):
            _add(figures, (day, scope, currency), field, value)


def _add_funnel(figures, start, end) -> None:
    events = FunnelEvent.objects.filter(day__gte=start, day__lte=end).values_list("day", "visitor", "step")
    for day, counts in funnel_counts(events.iterator(chunk_size=5000)).items():
        for field, value in counts.items():
            _add(figures, (day, None, ""), field, value)


def source_figures(*, start: dt.date, end: dt.date) -> dict[Key, dict[str, int]]:
    """Every figure of every day from ``start`` to ``end`` (inclusive, UTC), by category and currency."""
    figures: dict[Key, dict[str, int]] = defaultdict(dict)
    categories = expert_categories()
    _add_sessions(figures, start, end, categories)
    _add_users_and_ratings(figures, start, end, categories)
    _add_money(figures, start, end, categories)
    _add_funnel(figures, start, end)
    return dict(figures)


def active_experts(
    *, start: dt.date, end: dt.date, granularity: str, expert_ids: frozenset[int] | None = None
) -> tuple[int, dict[dt.date, int]]:
    """Distinct experts with a completed session starting in the range: the total and, per bucket
    (keyed by the bucket's calendar start: the day, the Monday, the 1st), the count in that bucket.

    Counted live (two queries) because distinct counts cannot be summed over days: an expert active
    on two days is one expert in the week.
    """
    low, high = _bounds(start, end)
    sessions = Booking.objects.filter(start__gte=low, start__lt=high, status__in=COMPLETED)
    if expert_ids is not None:
        sessions = sessions.filter(expert_id__in=sorted(expert_ids))
    total = sessions.aggregate(n=Count("expert_id", distinct=True))["n"]
    per_bucket = (
        sessions.annotate(bucket=Trunc("start", granularity, output_field=DateField(), tzinfo=UTC))
        .values_list("bucket")
        .annotate(n=Count("expert_id", distinct=True))
        .order_by()
    )
    return total, dict(per_bucket)
