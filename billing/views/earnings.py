"""The expert's money screens: earnings (balances, movements, chart, CSV), withdrawals, payout account.

Every screen is the signed-in expert's own (``expert_required``: a learner gets 403, a visitor the
login page); nothing here takes an id, so there is no other expert's object to ask for. Views parse,
call one service or selector, and render.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.charts import bar_chart
from core.errors import ApplicationError
from core.money import Money
from core.pagination import page_number
from core.ratelimit import rate_limit_hit
from marketplace.access import expert_required

from ..forms import MovementFilterForm, WithdrawalForm
from ..models import LedgerTransaction, PayoutAccount, PlatformSettings
from ..selectors import (
    MOVEMENT_TYPE_OF_KIND,
    MOVEMENT_TYPES,
    expert_balances,
    expert_earnings_chart_rows,
    expert_last_entry_id,
    expert_movements,
    expert_movements_page,
    expert_withdrawals,
)
from ..services.payouts import payout_account_onboarding_link, payout_account_sync
from ..services.withdrawals import withdrawal_request
from .receipts import statement_months

PER_PAGE = 25
MAX_PAGE = 10_000  # deeper than any expert's history; keeps the OFFSET a sane number


@dataclass(frozen=True)
class MovementPage:
    """A page of movements without a total count (Previous / Next): counting every grouped posting
    is what the page cannot afford at 10,000 entries."""

    object_list: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


WITHDRAWAL_RATE = (10, 3600)  # requests per expert per hour
CONNECT_RATE = (10, 600)
CSV_MAX_ROWS = 10_000
STRIPE_CONNECT_ORIGIN = "https://connect.stripe.com"
# A cell starting with one of these is read as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def movement_type_choices():
    labels = {
        "session": _("Session"),
        "refund": _("Refund"),
        "dispute": _("Dispute"),
        "release": _("Became available"),
        "withdrawal": _("Withdrawal requested or returned"),
        "payout": _("Paid out"),
    }
    return [(name, labels[name]) for name in MOVEMENT_TYPES]


def _zone(request: HttpRequest) -> ZoneInfo:
    try:
        return ZoneInfo(request.user.time_zone or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _filters(request: HttpRequest, currencies: list[str]):
    form = MovementFilterForm(request.GET or None, type_choices=movement_type_choices(), currencies=currencies)
    zone = _zone(request)
    if not form.is_bound or not form.is_valid():
        return form, {}
    data = form.cleaned_data
    return form, {
        "types": data.get("type") or (),
        "currency": data.get("currency") or "",
        "since": datetime.combine(data["since"], time.min, tzinfo=zone) if data.get("since") else None,
        "until": datetime.combine(data["until"] + timedelta(days=1), time.min, tzinfo=zone)
        if data.get("until")
        else None,
    }


CHART_CACHE_SECONDS = 24 * 3600


def _chart_cached(request: HttpRequest, balances):
    """The chart and its table, drawn once per version of the expert's ledger (the id of their newest
    entry), zone, language and month: drawing the SVG on every request cost most of the page's time."""
    zone = _zone(request)
    key = "earnings-chart:v1:{}:{}:{}:{}:{}".format(
        request.user.pk,
        expert_last_entry_id(expert=request.user),
        zone.key,
        get_language(),
        timezone.now().astimezone(zone).strftime("%Y-%m"),
    )
    cached = cache.get(key)
    if cached is None:
        cached = _chart(request, balances)
        cache.set(key, cached, CHART_CACHE_SECONDS)
    return cached


def _chart(request: HttpRequest, balances):
    rows = expert_earnings_chart_rows(expert=request.user, zone=_zone(request))
    if not rows:
        return None, []
    # One chart per currency would repeat; the chart shows the first currency, the table all of them.
    currency = rows[0][1] if len({r[1] for r in rows}) == 1 else (balances[0].currency if balances else rows[0][1])
    months = sorted({r[0] for r in rows if r[1] == currency})
    lengths = sorted({r[2] for r in rows if r[1] == currency})
    exponent = Money(0, currency).exponent
    series = {
        length: [
            sum(r[3] for r in rows if r[0] == month and r[1] == currency and r[2] == length) / (10**exponent)
            for month in months
        ]
        for length in lengths
    }
    chart = bar_chart(
        title=_("Earnings by month and session length (%(currency)s)") % {"currency": currency},
        labels=months,
        series=series,
        stacked=True,
        alt=_("Bar chart of your earnings by month and session length; the table beside it has the figures."),
    )
    table = [(month, cur, length, Money(total, cur)) for month, cur, length, total in rows]
    return chart, table


@never_cache
@require_GET
@expert_required
def expert_earnings(request: HttpRequest) -> HttpResponse:
    """``/expert/earnings/``: balances per currency, the movements table, the chart, withdrawals."""
    balances = expert_balances(expert=request.user)
    currencies = [b.currency for b in balances]
    form, filters = _filters(request, currencies)
    notices: list[str] = []
    number = min(page_number(request.GET.get("page"), notices), MAX_PAGE)
    rows, has_next = expert_movements_page(expert=request.user, number=number, per_page=PER_PAGE, **filters)
    if not rows and number > 1:
        notices.append(_("There is no page %(page)s; showing the first page.") % {"page": number})
        number = 1
        rows, has_next = expert_movements_page(expert=request.user, number=1, per_page=PER_PAGE, **filters)
    for row in rows:
        row.type_name = MOVEMENT_TYPE_OF_KIND.get(row.kind, "")
        row.gross_abs = abs(row.gross)
    page = MovementPage(object_list=rows, number=number, has_next=has_next)
    chart, chart_table = _chart_cached(request, balances)
    payout_account = PayoutAccount.objects.filter(expert=request.user).first()
    query = request.GET.copy()
    query.pop("page", None)
    settings_ = PlatformSettings.load()
    available = [b for b in balances if b.available > 0]
    return render(
        request,
        "billing/expert_earnings.html",
        {
            "balances": balances,
            "form": form,
            "page_obj": page,
            "notices": notices,
            "filter_query": query.urlencode(),
            "chart": chart,
            "chart_table": chart_table,
            "withdrawals": expert_withdrawals(expert=request.user)[:10],
            "withdrawal_form": WithdrawalForm(currencies=[b.currency for b in available]),
            "can_withdraw": bool(available) and payout_account is not None and payout_account.ready,
            "payout_account": payout_account,
            "hold_days": settings_.hold_days,
            "minimums": [Money(settings_.minimum_withdrawal_for(b.currency), b.currency) for b in available],
            "statement_months": statement_months(today=timezone.now().astimezone(_zone(request)).date()),
            "zone": str(_zone(request)),
            "type_labels": dict(movement_type_choices()),
            "kinds": LedgerTransaction.Kind,
        },
    )


def csv_safe(value) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe."""
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@never_cache
@require_GET
@expert_required
def expert_earnings_csv(request: HttpRequest) -> HttpResponse:
    """``/expert/earnings/export.csv``: the filtered movements (up to 10,000), amounts in major units."""
    balances = expert_balances(expert=request.user)
    _form, filters = _filters(request, [b.currency for b in balances])
    zone = _zone(request)
    labels = dict(movement_type_choices())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="taptime-earnings.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Date"),
            _("Type"),
            _("Reference"),
            _("Currency"),
            _("Gross"),
            _("Fee"),
            _("Pending"),
            _("Available"),
            _("Withdrawing"),
            _("Paid out"),
        ]
    )
    for row in expert_movements(expert=request.user, **filters)[:CSV_MAX_ROWS]:

        def major(minor: int, currency: str = row.currency) -> str:
            return str(Money(int(minor), currency).decimal)

        writer.writerow(
            [
                csv_safe(row.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")),
                csv_safe(labels.get(MOVEMENT_TYPE_OF_KIND.get(row.kind, ""), row.kind)),
                csv_safe(row.reference),
                csv_safe(row.currency),
                major(-row.gross) if row.gross else "",
                major(row.fee) if row.fee else "",
                major(row.pending),
                major(row.available),
                major(row.withdrawing),
                major(row.paid_out),
            ]
        )
    return response


@require_POST
@expert_required
def expert_withdrawal_create(request: HttpRequest) -> HttpResponse:
    """``POST /expert/withdrawals/``: ask for a withdrawal; the amount is checked against the ledger under a lock."""
    if rate_limit_hit(
        scope="withdrawal", key=str(request.user.pk), limit=WITHDRAWAL_RATE[0], window_seconds=WITHDRAWAL_RATE[1]
    ):
        messages.error(request, _("Too many withdrawal requests. Please try again later."))
        return redirect("expert_earnings")
    currencies = [b.currency for b in expert_balances(expert=request.user)]
    form = WithdrawalForm(request.POST, currencies=currencies)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("expert_earnings")
    try:
        withdrawal = withdrawal_request(
            expert=request.user, amount_minor=form.cleaned_data["amount_minor"], currency=form.cleaned_data["currency"]
        )
    except ApplicationError as refused:
        messages.error(request, refused.message)
        return redirect("expert_earnings")
    messages.success(
        request,
        _("We received your request to withdraw %(amount)s. Our team reviews it, usually within two business days.")
        % {"amount": Money(withdrawal.amount_minor, withdrawal.currency).format()},
    )
    return redirect("expert_earnings")


@never_cache
@require_http_methods(["GET", "POST"])
@expert_required
def expert_payouts(request: HttpRequest) -> HttpResponse:
    """``/expert/payouts/``: the payout account's status; POST sends the expert to Stripe's onboarding."""
    if request.method == "POST":
        return _to_onboarding(request)
    account = PayoutAccount.objects.filter(expert=request.user).first()
    response = render(request, "billing/expert_payouts.html", {"account": account})
    # The form's POST is answered with a redirect to Stripe's onboarding; browsers check that
    # redirect against this page's form-action, which is 'self' site-wide.
    response._csp_update = {"form-action": [STRIPE_CONNECT_ORIGIN]}
    return response


def _to_onboarding(request: HttpRequest) -> HttpResponse:
    if rate_limit_hit(scope="connect", key=str(request.user.pk), limit=CONNECT_RATE[0], window_seconds=CONNECT_RATE[1]):
        messages.error(request, _("Too many attempts. Please try again in a few minutes."))
        return redirect("expert_payouts")
    try:
        url = payout_account_onboarding_link(
            expert=request.user,
            refresh_url=request.build_absolute_uri(reverse("expert_payouts_refresh")),
            return_url=request.build_absolute_uri(reverse("expert_payouts_return")),
        )
    except ApplicationError as refused:
        messages.error(request, refused.message)
        return redirect("expert_payouts")
    if not url.startswith(f"{STRIPE_CONNECT_ORIGIN}/"):
        messages.error(request, _("Stripe's onboarding could not be opened. Please try again later."))
        return redirect("expert_payouts")
    return HttpResponseRedirect(url)


@never_cache
@require_GET
@expert_required
def expert_payouts_refresh(request: HttpRequest) -> HttpResponse:
    """Stripe sends the expert here when an onboarding link has expired: mint a new one.

    A GET, as Stripe's ``refresh_url`` requires; it creates no account that does not exist yet."""
    if not PayoutAccount.objects.filter(expert=request.user).exists():
        return redirect("expert_payouts")
    return _to_onboarding(request)


@never_cache
@require_GET
@expert_required
def expert_payouts_return(request: HttpRequest) -> HttpResponse:
    """Stripe sends the expert back here; the query string proves nothing, so re-read the account."""
    account = PayoutAccount.objects.filter(expert=request.user).first()
    if account is not None:
        try:
            account = payout_account_sync(stripe_account_id=account.stripe_account_id)
        except ApplicationError:
            messages.warning(request, _("We could not reach Stripe to check your account; it updates shortly."))
        else:
            if account is not None and account.ready:
                messages.success(request, _("Your payout account is ready."))
            else:
                messages.info(request, _("Stripe still needs some details before it can pay you."))
    return redirect("expert_payouts")
