"""PDF downloads: a learner's receipts for a booking, an expert's monthly earnings statement.

``/bookings/<id>/receipt/`` is the booking's learner's only (everyone else, the expert included,
gets the same 404 as an unknown id; a visitor the login page). ``/expert/earnings/statement/`` takes
no id: it is always the signed-in expert's own, for the month in ``?month=YYYY-MM``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from bookings.access import participant_booking
from core.errors import ApplicationError
from core.money import Money
from marketplace.access import expert_required

from ..pdf import ReceiptParty, StatementLine, receipt_pdf, statement_pdf
from ..selectors import MOVEMENT_TYPE_OF_KIND, expert_movements
from ..services.receipts import booking_receipts

OLDEST_STATEMENT_YEAR = 2020


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_GET
@login_required
def booking_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """``/bookings/<id>/receipt/``: the receipts (payment, then each refund) of the learner's booking, one PDF."""
    booking = participant_booking(request, pk, role="learner")
    try:
        receipts = booking_receipts(booking=booking)
    except ApplicationError as refused:
        # Stripe Tax could not be reached for a receipt not issued yet: nothing is issued with a guessed tax.
        return HttpResponse(refused.message, status=503, content_type="text/plain; charset=utf-8")
    if not receipts:
        raise Http404  # nothing was paid for this booking
    party = ReceiptParty.for_payment(receipts[0].payment)
    return _pdf(receipt_pdf(receipts=receipts, party=party), f"taptime-receipt-{booking.pk}.pdf")


def statement_month(value: str | None, *, today: date) -> date | None:
    """The first day of ``YYYY-MM`` if it is a real month from 2020 up to this one; else None."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        first = date(year, month, 1)
    except (TypeError, ValueError):
        return None
    if len(value or "") != 7 or first.year < OLDEST_STATEMENT_YEAR or first > today.replace(day=1):
        return None
    return first


def statement_months(*, today: date, count: int = 12) -> list[date]:
    """This month and the ``count - 1`` before it, newest first (the month selector)."""
    months, current = [], today.replace(day=1)
    for _index in range(count):
        months.append(current)
        current = (current.replace(day=1) - timedelta(days=1)).replace(day=1)
    return months


def _describe(kind: str) -> str:
    return {
        "session": _("Session"),
        "refund": _("Refund"),
        "dispute": _("Dispute"),
        "release": _("Became available"),
        "withdrawal": _("Withdrawal requested or returned"),
        "payout": _("Paid out"),
    }.get(MOVEMENT_TYPE_OF_KIND.get(kind, ""), kind)


@never_cache
@require_GET
@expert_required
def expert_statement(request: HttpRequest) -> HttpResponse:
    """``/expert/earnings/statement/?month=YYYY-MM``: the month's movements, fees and totals as a PDF."""
    try:
        zone = ZoneInfo(request.user.time_zone or "UTC")
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    first = statement_month(request.GET.get("month"), today=timezone.now().astimezone(zone).date())
    if first is None:
        return HttpResponse(
            _("Choose a month from the list on your earnings page."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    rows = expert_movements(
        expert=request.user,
        since=datetime.combine(first, time.min, tzinfo=zone),
        until=datetime.combine(following, time.min, tzinfo=zone),
    ).order_by("created_at", "pk")
    lines, totals = [], {}
    for row in rows:
        earned = row.pending + row.available + row.withdrawing + row.paid_out
        if row.kind == "payout":
            earned = 0  # a payout moves money between the expert's own balances
        currency_totals = totals.setdefault(row.currency, {"gross": 0, "fee": 0, "earned": 0, "paid_out": 0})
        currency_totals["gross"] += -row.gross
        currency_totals["fee"] += row.fee
        currency_totals["earned"] += earned
        currency_totals["paid_out"] += row.paid_out if row.kind == "payout" else 0
        lines.append(
            StatementLine(
                date=formats.date_format(row.created_at.astimezone(zone), "SHORT_DATE_FORMAT"),
                description=_describe(row.kind),
                reference=row.reference,
                gross=Money(-int(row.gross), row.currency) if row.gross else None,
                fee=Money(int(row.fee), row.currency) if row.fee else None,
                net=Money(int(row.paid_out if row.kind == "payout" else earned), row.currency),
            )
        )
    summary = []
    for currency, sums in sorted(totals.items()):
        summary += [
            (_("Learners paid (%(currency)s)") % {"currency": currency}, Money(sums["gross"], currency)),
            (_("TapTime fees (%(currency)s)") % {"currency": currency}, Money(sums["fee"], currency)),
            (_("Your earnings (%(currency)s)") % {"currency": currency}, Money(sums["earned"], currency)),
            (_("Paid out (%(currency)s)") % {"currency": currency}, Money(sums["paid_out"], currency)),
        ]
    content = statement_pdf(
        expert_name=request.user.full_name,
        month_label=formats.date_format(first, "YEAR_MONTH_FORMAT"),
        lines=lines,
        totals=summary,
    )
    return _pdf(content, f"taptime-statement-{first:%Y-%m}.pdf")
