"""Credits over time: their share released after the session, expiry (refund or lapse), the reminder."""

from datetime import timedelta

import pytest
import stripe
from django.utils import timezone

from billing.errors import PaymentError
from billing.models import LedgerAccount, LedgerEntry, PackagePurchase, Payment, PlatformSettings, SessionCredit
from billing.selectors import ledger_totals_by_currency
from billing.services import credits as credits_module
from billing.services.credits import credit_earnings_release_due, package_credits_expire, package_expiry_reminders_send
from billing.services.packages import booking_credit_offer
from billing.tasks import send_package_expiry_reminder
from bookings.models import Booking
from core.models import OutboxMessage
from tests.factories import ExpertUserFactory, UserFactory

from .builders import held, paid_purchase

pytestmark = pytest.mark.django_db

KEY = "sk_test_TapTimeLocalOnly0000000000000000"


def balance(kind, owner) -> int:
    account = LedgerAccount.objects.filter(kind=kind, owner=owner).first()
    return sum(LedgerEntry.objects.filter(account=account).values_list("amount", flat=True)) if account else 0


def use(credit, *, learner, expert, ended_days_ago=10, status=Booking.Status.COMPLETED):
    end = timezone.now() - timedelta(days=ended_days_ago, minutes=credit.number)
    booking = Booking.objects.create(
        learner=learner,
        expert=expert,
        start=end - timedelta(hours=1),
        end=end,
        status=status,
        amount_minor=8000,
        currency="EUR",
        credit_used=credit.number,
        credit_total=credit.purchase.sessions_count,
    )
    SessionCredit.objects.filter(pk=credit.pk).update(status="used", booking=booking, used_at=end)
    return booking


@pytest.fixture
def people():
    return UserFactory(), ExpertUserFactory()


def expire(purchase):
    PackagePurchase.objects.filter(pk=purchase.pk).update(expires_at=timezone.now() - timedelta(minutes=1))


def test_each_completed_session_releases_its_share_once_and_never_more_than_the_share(people):
    learner, expert = people
    # 10 000 in 3 credits (3334, 3333, 3333) at 15 %: the expert's share is 8500.
    purchase = paid_purchase(learner=learner, expert=expert, price=10_000)
    credits = list(purchase.credits.all())
    assert [c.value_minor for c in credits] == [3334, 3333, 3333]
    use(credits[0], learner=learner, expert=expert)
    use(credits[1], learner=learner, expert=expert, ended_days_ago=1)  # still in the hold period
    use(credits[2], learner=learner, expert=expert, status=Booking.Status.CANCELLED_BY_LEARNER)
    assert credit_earnings_release_due() == 1
    assert credit_earnings_release_due() == 0  # once
    assert balance("expert_available", expert) == 8500 * 3334 // 10_000 == 2833
    assert balance("expert_pending", expert) == 8500 - 2833
    assert all(total == 0 for total in ledger_totals_by_currency().values())


def test_lapsed_credits_pay_the_expert_and_everything_adds_up_to_the_share(people, settings):
    learner, expert = people
    platform = PlatformSettings.load()
    platform.expired_credits = PlatformSettings.ExpiredCredits.LAPSE
    platform.save()
    purchase = paid_purchase(learner=learner, expert=expert, price=10_000)
    first = purchase.credits.get(number=1)
    use(first, learner=learner, expert=expert)
    credit_earnings_release_due()
    expire(purchase)
    assert package_credits_expire() == 1
    assert package_credits_expire() == 0
    purchase.refresh_from_db()
    assert (purchase.expiry_outcome, purchase.status) == ("lapsed", "closed")
    assert list(purchase.credits.values_list("status", flat=True)) == ["used", "lapsed", "lapsed"]
    assert balance("expert_available", expert) == 8500 and balance("expert_pending", expert) == 0
    assert Payment.objects.get().refunded_minor == 0
    assert OutboxMessage.objects.filter(dedupe_key=f"package-{purchase.pk}-expired-mail").count() == 0


def test_expired_credits_are_refunded_pro_rata_on_stripe(
    bought, learner, ada, stripe_server, django_capture_on_commit_callbacks, mailoutbox
):
    expert = ada.user
    first = bought.credits.get(number=1)
    use(first, learner=learner, expert=expert)
    credit_earnings_release_due()
    expire(bought)
    with django_capture_on_commit_callbacks(execute=True):
        assert package_credits_expire() == 1
    payment = Payment.objects.get()
    assert payment.refunded_minor == 14_000  # two of three credits at 70.00
    refunds = stripe.Refund.list(api_key=KEY, payment_intent=payment.stripe_payment_intent_id)["data"]
    assert sum(refund["amount"] for refund in refunds) == 14_000
    share = 21_000 - 21_000 * 1500 // 10_000
    # The expert keeps exactly the used session's share; nothing is left pending.
    assert balance("expert_available", expert) == share // 3 and balance("expert_pending", expert) == 0
    assert all(total == 0 for total in ledger_totals_by_currency().values())
    bought.refresh_from_db()
    assert (bought.expiry_outcome, bought.refund_owed) == ("refunded", False)
    assert any("expired" in message.subject for message in mailoutbox)
    # Run again: nothing more is refunded.
    package_credits_expire()
    assert Payment.objects.get().refunded_minor == 14_000


def test_a_refund_stripe_refuses_is_owed_and_asked_again(bought, stripe_server, monkeypatch):
    def refuse(**kwargs):
        raise PaymentError("Stripe is down", code="refund_failed")

    expire(bought)
    monkeypatch.setattr(credits_module, "payment_refund", refuse)
    package_credits_expire()
    bought.refresh_from_db()
    assert bought.refund_owed and Payment.objects.get().refunded_minor == 0
    monkeypatch.undo()
    package_credits_expire()
    bought.refresh_from_db()
    assert not bought.refund_owed and Payment.objects.get().refunded_minor == 21_000


def test_the_reminder_goes_once_seven_days_before_while_credits_are_left(people, mailoutbox):
    learner, expert = people
    purchase = paid_purchase(learner=learner, expert=expert, days=30)
    assert package_expiry_reminders_send() == 0  # 30 days ahead: not yet
    PackagePurchase.objects.filter(pk=purchase.pk).update(expires_at=timezone.now() + timedelta(days=6))
    assert package_expiry_reminders_send() == 1
    assert package_expiry_reminders_send() == 0
    message = OutboxMessage.objects.get(dedupe_key=f"package-{purchase.pk}-expiry-reminder")
    assert send_package_expiry_reminder(**message.payload) == 1
    assert "3 sessions left" in mailoutbox[0].subject and learner.email in mailoutbox[0].to


def test_no_reminder_when_every_credit_is_used(people):
    learner, expert = people
    purchase = paid_purchase(learner=learner, expert=expert, days=30)
    for credit in purchase.credits.all():
        use(credit, learner=learner, expert=expert)
    PackagePurchase.objects.filter(pk=purchase.pk).update(expires_at=timezone.now() + timedelta(days=6))
    assert package_expiry_reminders_send() == 0


def test_credits_of_an_expired_package_cannot_be_booked(people):
    learner, expert = people
    purchase = paid_purchase(learner=learner, expert=expert)
    booking = held(learner=learner, expert=expert, hours_ahead=1)
    assert booking_credit_offer(booking=booking) is not None
    expire(purchase)
    assert booking_credit_offer(booking=booking) is None
