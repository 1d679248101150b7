import itertools

import pytest
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.errors import LedgerError
from billing.models import LedgerAccount, LedgerEntry, LedgerTransaction, Payment, PlatformSettings
from billing.selectors import (
    commission_rate_bp,
    ledger_balance,
    ledger_balances_for_owner,
    ledger_platform_balances,
    ledger_reconciliation_problems,
    ledger_totals_by_currency,
    ledger_unbalanced_transactions,
)
from billing.services.ledger import (
    LedgerLine,
    commission_split,
    ledger_account,
    ledger_book_payment,
    ledger_post,
    ledger_reverse,
)
from billing.tasks import reconcile_ledger
from tests.factories import ExpertUserFactory

Kind = LedgerAccount.Kind


@pytest.mark.parametrize(
    ("gross", "rate", "expected"),
    [
        (10_000, 1500, (8_500, 1_500)),
        (999, 1500, (850, 149)),  # 149.85 of commission: the fraction goes to the expert
        (1, 1500, (1, 0)),
        (1, 10_000, (0, 1)),
        (12_345, 0, (12_345, 0)),
        (7, 3333, (5, 2)),
    ],
)
def test_commission_split_rounds_the_platform_share_down(gross, rate, expected):
    assert commission_split(gross=gross, commission_rate_bp=rate) == expected


@given(st.integers(1, 10**12), st.integers(0, 10_000))
def test_commission_split_always_adds_up(gross, rate):
    share, commission = commission_split(gross=gross, commission_rate_bp=rate)
    assert share + commission == gross and share >= 0 and commission >= 0
    assert commission * 10_000 <= gross * rate < (commission + 1) * 10_000


@pytest.mark.parametrize(("gross", "rate"), [(0, 1500), (-5, 1500), (10, -1), (10, 10_001), (10.5, 1500), (True, 1)])
def test_commission_split_refuses_wrong_inputs(gross, rate):
    with pytest.raises(LedgerError):
        commission_split(gross=gross, commission_rate_bp=rate)


@pytest.mark.django_db
def test_book_payment_and_reverse(django_assert_num_queries):
    expert = ExpertUserFactory()
    posted = ledger_book_payment(
        reference="payment-1", currency="EUR", gross=6_000, commission_rate_bp=1500, expert=expert
    )
    assert posted.kind == LedgerTransaction.Kind.PAYMENT
    assert sorted(posted.entries.values_list("amount", flat=True)) == [-6_000, 900, 5_100]
    assert ledger_balances_for_owner(owner=expert) == {("expert_pending", "EUR"): 5_100}
    assert ledger_platform_balances() == {("learner_payments", "EUR"): -6_000, ("platform_revenue", "EUR"): 900}

    # Posting the same reference again changes nothing.
    again = ledger_book_payment(
        reference="payment-1", currency="EUR", gross=6_000, commission_rate_bp=1500, expert=expert
    )
    assert again == posted and LedgerTransaction.objects.count() == 1

    reversal = ledger_reverse(reference="payment-1")
    assert reversal.reverses == posted
    assert ledger_reverse(reference="payment-1") == reversal
    assert ledger_balances_for_owner(owner=expert) == {("expert_pending", "EUR"): 0}
    assert ledger_platform_balances() == {
        ("learner_payments", "EUR"): -6_000,
        ("refunds", "EUR"): 6_000,
        ("platform_revenue", "EUR"): 0,
    }
    assert ledger_totals_by_currency() == {"EUR": 0}
    assert ledger_unbalanced_transactions() == []
    account = LedgerAccount.objects.get(kind=Kind.EXPERT_PENDING, owner=expert)
    with django_assert_num_queries(1):
        assert ledger_balance(account=account) == 0


@pytest.mark.django_db
def test_replaying_a_reference_with_other_amounts_is_refused():
    expert = ExpertUserFactory()
    ledger_book_payment(reference="payment-2", currency="EUR", gross=6_000, commission_rate_bp=1500, expert=expert)
    with pytest.raises(LedgerError) as refused:
        ledger_book_payment(reference="payment-2", currency="EUR", gross=7_000, commission_rate_bp=1500, expert=expert)
    assert refused.value.code == "conflict"


@pytest.mark.django_db
def test_unbalanced_mixed_and_empty_postings_are_refused():
    eur_in = ledger_account(kind=Kind.LEARNER_PAYMENTS, currency="EUR")
    eur_fee = ledger_account(kind=Kind.PLATFORM_REVENUE, currency="EUR")
    usd_fee = ledger_account(kind=Kind.PLATFORM_REVENUE, currency="USD")
    cases = {
        "unbalanced": [LedgerLine(eur_in, -100), LedgerLine(eur_fee, 99)],
        "unbalanced-currency": [LedgerLine(eur_in, -100), LedgerLine(usd_fee, 100)],
        "zero": [LedgerLine(eur_in, 0), LedgerLine(eur_fee, 0)],
        "float": [LedgerLine(eur_in, -1.5), LedgerLine(eur_fee, 1.5)],
        "single": [LedgerLine(eur_in, 100)],
    }
    for reference, lines in cases.items():
        with pytest.raises(LedgerError):
            ledger_post(kind="adjustment", reference=reference, lines=lines)
    with pytest.raises(LedgerError):
        ledger_post(kind="adjustment", reference="", lines=[LedgerLine(eur_in, -1), LedgerLine(eur_fee, 1)])
    with pytest.raises(LedgerError) as refused:
        ledger_reverse(reference="payment-404")
    assert refused.value.code == "not_found"
    assert not LedgerTransaction.objects.exists()


@pytest.mark.django_db
def test_reversing_a_reversal_is_refused():
    expert = ExpertUserFactory()
    ledger_book_payment(reference="payment-3", currency="EUR", gross=100, commission_rate_bp=1500, expert=expert)
    ledger_reverse(reference="payment-3")
    with pytest.raises(LedgerError):
        ledger_reverse(reference="payment-3:reversal")


@pytest.mark.django_db
def test_database_refuses_zero_amounts():
    account = ledger_account(kind=Kind.LEARNER_PAYMENTS, currency="EUR")
    posted = LedgerTransaction.objects.create(kind="adjustment", reference="raw")
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(transaction=posted, account=account, amount=0, currency="EUR")


@pytest.mark.django_db
def test_database_refuses_expert_account_without_owner():
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerAccount.objects.create(kind=Kind.EXPERT_PENDING, currency="EUR")


@pytest.mark.django_db
def test_postgres_trigger_refuses_an_unbalanced_transaction_written_around_the_service():
    assert connection.vendor == "postgresql"
    account = ledger_account(kind=Kind.LEARNER_PAYMENTS, currency="EUR")
    other = ledger_account(kind=Kind.PLATFORM_REVENUE, currency="EUR")
    posted = LedgerTransaction.objects.create(kind="adjustment", reference="raw")
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(transaction=posted, account=account, amount=-5, currency="EUR")
        LedgerEntry.objects.create(transaction=posted, account=other, amount=4, currency="EUR")
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # what COMMIT would do
    # The same rows, balanced, pass.
    with transaction.atomic():
        LedgerEntry.objects.create(transaction=posted, account=account, amount=-5, currency="EUR")
        LedgerEntry.objects.create(transaction=posted, account=other, amount=5, currency="EUR")
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(IntegrityError), transaction.atomic():
        # An entry in another currency than its account.
        LedgerEntry.objects.create(transaction=posted, account=other, amount=5, currency="USD")
        LedgerEntry.objects.create(transaction=posted, account=account, amount=-5, currency="USD")
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def raw_sql(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_postgres_refuses_to_update_or_delete_stored_ledger_rows():
    assert connection.vendor == "postgresql"
    posted = ledger_book_payment(
        reference="payment-fixed", currency="EUR", gross=1000, commission_rate_bp=1500, expert=ExpertUserFactory()
    )
    entry = posted.entries.first()
    attempts = [
        lambda: LedgerEntry.objects.filter(pk=entry.pk).update(amount=entry.amount + 1),
        lambda: LedgerEntry.objects.filter(pk=entry.pk).update(
            transaction=LedgerTransaction.objects.create(kind="adjustment", reference="elsewhere")
        ),
        lambda: LedgerEntry.objects.filter(pk=entry.pk).delete(),
        lambda: LedgerTransaction.objects.filter(pk=posted.pk).update(memo="rewritten"),
        lambda: raw_sql("DELETE FROM billing_ledgertransaction WHERE id = %s", [posted.pk]),  # past PROTECT
    ]
    for attempt in attempts:
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            attempt()
    # Corrections are new postings: a reversal still goes through.
    assert ledger_reverse(reference="payment-fixed").kind == LedgerTransaction.Kind.REVERSAL
    assert ledger_unbalanced_transactions() == []


@pytest.mark.django_db
def test_the_nightly_reconciliation_reports_unbalanced_transactions_and_unposted_payments(caplog):
    expert = ExpertUserFactory()
    ledger_book_payment(reference="payment-1", currency="EUR", gross=1000, commission_rate_bp=1500, expert=expert)
    assert reconcile_ledger() == 0 and ledger_reconciliation_problems() == []
    # Written around the services (the deferred balance trigger only fires at a commit this test never makes).
    broken = LedgerTransaction.objects.create(kind="adjustment", reference="broken")
    LedgerEntry.objects.create(
        transaction=broken, account=ledger_account(kind=Kind.REFUNDS, currency="EUR"), amount=7, currency="EUR"
    )
    unposted = Payment.objects.create(
        reference="booking-9",
        payee=expert,
        amount_minor=500,
        currency="EUR",
        commission_rate_bp=1500,
        idempotency_key="booking-9-pi-v1",
        status=Payment.Status.SUCCEEDED,
    )
    assert ledger_reconciliation_problems() == [
        f"transaction {broken.pk} does not balance in EUR (off by 7)",
        f"payment {unposted.pk} is paid but has no ledger posting",
    ]
    assert reconcile_ledger() == 2
    assert [record.levelname for record in caplog.records if "Ledger reconciliation" in record.message] == [
        "ERROR",
        "ERROR",
    ]
    # Balance it again, or the test's own end-of-test constraint check (like a commit) would refuse it.
    LedgerEntry.objects.create(
        transaction=broken,
        account=ledger_account(kind=Kind.PLATFORM_REVENUE, currency="EUR"),
        amount=-7,
        currency="EUR",
    )


@pytest.mark.django_db
def test_balance_selectors_use_a_fixed_number_of_queries(django_assert_num_queries):
    experts = ExpertUserFactory.create_batch(2)
    for number in range(12):
        ledger_book_payment(
            reference=f"p-{number}", currency="EUR", gross=1000 + number, commission_rate_bp=1500, expert=experts[0]
        )
    for selector in (ledger_platform_balances, ledger_totals_by_currency, ledger_unbalanced_transactions):
        with django_assert_num_queries(1):
            selector()
    with django_assert_num_queries(1):
        ledger_balances_for_owner(owner=experts[0])


@pytest.mark.django_db
def test_commission_rate_is_a_platform_setting_defaulting_to_15_percent():
    assert commission_rate_bp() == 1500
    PlatformSettings.objects.update(commission_rate_bp=2000)
    assert commission_rate_bp() == 2000


_references = itertools.count()

operations = st.lists(
    st.tuples(
        st.sampled_from(["pay", "refund", "replay"]),
        st.integers(1, 500_000),
        st.sampled_from(["EUR", "USD", "JPY"]),
        st.integers(0, 10_000),
        st.integers(0, 2),
    ),
    min_size=1,
    max_size=15,
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_any_sequence_of_payments_and_refunds_keeps_the_ledger_balanced(ops, expert_pool):
    paid: list[str] = []
    for action, gross, currency, rate, who in ops:
        if action == "pay" or not paid:
            reference = f"payment-h{next(_references)}"
            ledger_book_payment(
                reference=reference, currency=currency, gross=gross, commission_rate_bp=rate, expert=expert_pool[who]
            )
            paid.append(reference)
        elif action == "refund":
            ledger_reverse(reference=paid[gross % len(paid)])
        else:
            ledger_reverse(reference=paid[-1])
            ledger_reverse(reference=paid[-1])
    assert ledger_unbalanced_transactions() == []
    assert set(ledger_totals_by_currency().values()) <= {0}
    for expert in expert_pool:
        assert all(balance >= 0 for balance in ledger_balances_for_owner(owner=expert).values())


@pytest.fixture
def expert_pool(db):
    return ExpertUserFactory.create_batch(3)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    gross=st.integers(1, 500_000),
    rate=st.integers(0, 10_000),
    cuts=st.lists(st.floats(0.01, 1.0), min_size=1, max_size=6),
)
def test_partial_refunds_in_any_steps_end_exactly_where_one_full_refund_does(gross, rate, cuts, expert_pool):
    reference = f"payment-p{next(_references)}"
    expert = expert_pool[0]
    ledger_book_payment(reference=reference, currency="EUR", gross=gross, commission_rate_bp=rate, expert=expert)
    before = ledger_balances_for_owner(owner=expert).get((Kind.EXPERT_PENDING, "EUR"), 0)
    share, _commission = commission_split(gross=gross, commission_rate_bp=rate)
    totals = sorted({max(1, int(gross * cut)) for cut in cuts}) + [gross]
    for total in totals:
        ledger_reverse(reference=reference, refunded_total=total)
        ledger_reverse(reference=reference, refunded_total=total)  # a replay books nothing
        pending = ledger_balances_for_owner(owner=expert).get((Kind.EXPERT_PENDING, "EUR"), 0)
        assert before - share <= pending <= before  # never more taken from the expert than their share
    assert ledger_unbalanced_transactions() == []
    assert ledger_balances_for_owner(owner=expert).get((Kind.EXPERT_PENDING, "EUR"), 0) == before - share
    posted = LedgerEntry.objects.filter(transaction__reverses__reference=reference, account__kind=Kind.REFUNDS)
    assert sum(posted.values_list("amount", flat=True)) == gross
