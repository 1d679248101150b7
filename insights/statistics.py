"""The statistics page's figures: stored daily rows for past days, today's counted live, folded into
days, weeks or months, with the same totals for the previous period of equal length.

Reads only; a fixed number of queries whatever the period (stored rows, the previous period's sums,
the latest refresh time, active experts for both periods; today's live figures once a minute).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Max, Sum
from django.utils.translation import gettext_lazy as _

from .models import DailyFigure
from .periods import Period, bucket_index, buckets
from .sources import COUNT_FIELDS, MONEY_FIELDS, active_experts, expert_categories, source_figures

LIVE_CACHE_SECONDS = 60

COUNT_METRICS = (
    ("users_joined", _("New users")),
    ("active_experts", _("Active experts")),
    ("sessions_booked", _("Sessions booked")),
    ("sessions_completed", _("Sessions completed")),
    ("sessions_cancelled", _("Sessions cancelled")),
    ("sessions_no_show", _("No-shows")),
    ("completion_rate", _("Completion rate (%)")),
    ("average_rating", _("Average rating")),
)
FUNNEL_METRICS = (
    ("funnel_visitors", _("Visitors")),
    ("funnel_expert_page", _("…who opened an expert page")),
    ("funnel_hold", _("…then held a time")),
    ("funnel_paid", _("…then paid")),
)
MONEY_METRICS = (
    ("gross_minor", _("Gross bookings")),
    ("revenue_minor", _("Platform revenue")),
    ("refunds_minor", _("Refunds")),
)


@dataclass
class MetricRow:
    key: str
    label: str
    values: list[float | int | None]
    total: float | int | None
    previous: float | int | None

    @property
    def change_percent(self) -> float | None:
        if self.total is None or not self.previous:
            return None
        return round((self.total - self.previous) * 100 / self.previous, 1)


@dataclass
class Report:
    period: Period
    previous_period: Period
    granularity: str
    category: object | None
    labels: list[str]
    counts: list[MetricRow]
    money: dict[str, list[MetricRow]] = field(default_factory=dict)
    funnel: list[MetricRow] = field(default_factory=list)
    refreshed_at: dt.datetime | None = None
    includes_today: bool = False


def _live_figures(today: dt.date) -> dict:
    key = f"insights:live:{today.isoformat()}"
    figures = cache.get(key)
    if figures is None:
        figures = source_figures(start=today, end=today)
        cache.set(key, figures, LIVE_CACHE_SECONDS)
    return figures


def _rate(completed, cancelled, no_show) -> float | None:
    concluded = (completed or 0) + (cancelled or 0) + (no_show or 0)
    return round((completed or 0) * 100 / concluded, 1) if concluded else None


def _average(total, count) -> float | None:
    return round(total / count, 2) if count else None


def _derived(sums: dict[str, int]) -> dict[str, float | None]:
    return {
        "completion_rate": _rate(
            sums.get("sessions_completed"), sums.get("sessions_cancelled"), sums.get("sessions_no_show")
        ),
        "average_rating": _average(sums.get("rating_sum", 0), sums.get("rating_count", 0)),
    }


def _previous_sums(period: Period, category_id: int | None) -> dict[str, dict[str, int]]:
    # ``category_id=None`` is ``IS NULL``: the platform's rows.
    rows = DailyFigure.objects.filter(day__gte=period.start, day__lte=period.end, category_id=category_id)
    sums = rows.values("currency").annotate(**{name: Sum(name) for name in (*COUNT_FIELDS, *MONEY_FIELDS)}).order_by()
    return {row.pop("currency"): {name: value or 0 for name, value in row.items()} for row in sums}


def statistics_report(*, period: Period, granularity: str, category=None, today: dt.date) -> Report:
    """Every statistic for ``period`` by ``granularity``, for the platform or one category."""
    category_id = category.pk if category is not None else None
    index = bucket_index(period, granularity)
    size = len(buckets(period, granularity))
    per_bucket: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0] * size))
    stored = DailyFigure.objects.filter(day__gte=period.start, day__lte=min(period.end, today - dt.timedelta(days=1)))
    stored = stored.filter(category_id=category_id)
    fields = (*COUNT_FIELDS, *MONEY_FIELDS)
    for day, currency, *values in stored.values_list("day", "currency", *fields):
        for name, value in zip(fields, values, strict=True):
            if value:
                per_bucket[currency][name][index[day]] += value
    includes_today = period.start <= today <= period.end
    if includes_today:
        for (day, scope, currency), values in _live_figures(today).items():
            if scope == category_id and day == today:
                for name, value in values.items():
                    per_bucket[currency][name][index[day]] += value

    previous = period.previous()
    previous_sums = _previous_sums(previous, category_id)
    expert_ids = None
    if category_id is not None:
        expert_ids = frozenset(user for user, ids in expert_categories().items() if category_id in ids)
    active_total, active_by_bucket = active_experts(
        start=period.start, end=period.end, granularity=granularity, expert_ids=expert_ids
    )
    previous_active, _unused = active_experts(
        start=previous.start, end=previous.end, granularity=granularity, expert_ids=expert_ids
    )
    active_values = [0] * size
    for bucket_day, n in active_by_bucket.items():
        active_values[index[max(bucket_day, period.start)]] = n

    counts_now = per_bucket.get("", {})
    counts_before = previous_sums.get("", {})
    labelled = buckets(period, granularity)
    derived_by_bucket = [
        _derived({name: counts_now.get(name, [0] * size)[i] for name in COUNT_FIELDS}) for i in range(size)
    ]
    totals_now = {name: sum(counts_now.get(name, [0] * size)) for name in COUNT_FIELDS}
    count_rows = []
    for key, label in COUNT_METRICS:
        if key == "active_experts":
            row = MetricRow(key, label, active_values, active_total, previous_active)
        elif key in ("completion_rate", "average_rating"):
            row = MetricRow(
                key, label, [d[key] for d in derived_by_bucket], _derived(totals_now)[key], _derived(counts_before)[key]
            )
        elif key == "users_joined" and category_id is not None:
            continue  # a person has no category
        else:
            values = list(counts_now.get(key, [0] * size))
            row = MetricRow(key, label, values, totals_now[key], counts_before.get(key, 0))
        count_rows.append(row)

    funnel = []
    if category_id is None:  # page views have no category
        for key, label in FUNNEL_METRICS:
            values = list(counts_now.get(key, [0] * size))
            funnel.append(MetricRow(key, label, values, sum(values), counts_before.get(key, 0)))

    money: dict[str, list[MetricRow]] = {}
    for currency in sorted({c for c in (*per_bucket.keys(), *previous_sums.keys()) if c}):
        now, before = per_bucket.get(currency, {}), previous_sums.get(currency, {})
        money[currency] = [
            MetricRow(key, label, list(now.get(key, [0] * size)), sum(now.get(key, [0] * size)), before.get(key, 0))
            for key, label in MONEY_METRICS
        ]
    refreshed_at = DailyFigure.objects.aggregate(latest=Max("refreshed_at"))["latest"]
    return Report(
        period=period,
        previous_period=previous,
        granularity=granularity,
        category=category,
        labels=[bucket.label(granularity) for bucket in labelled],
        counts=count_rows,
        money=money,
        funnel=funnel,
        refreshed_at=refreshed_at,
        includes_today=includes_today,
    )
