"""Staff approve and reject withdrawals in the Wagtail admin ("Withdrawals (N)")."""

import pytest
from django.urls import reverse

from billing.models import Withdrawal
from billing.selectors import expert_balances
from billing.services.earnings import earnings_release_due
from billing.services.withdrawals import withdrawal_request
from tests.factories import UserFactory

from .money_builders import API, approver, past_paid_session, ready_payout_account, transfer_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting():
    payment = past_paid_session(ended_days_ago=9)
    earnings_release_due()
    ready_payout_account(payment.payee)
    return withdrawal_request(expert=payment.payee, amount_minor=5_000, currency="EUR")


def detail(withdrawal):
    return reverse("billing_withdrawal_detail", kwargs={"pk": withdrawal.pk})


def test_approvers_see_the_count_in_the_menu_and_the_waiting_list(client, waiting):
    client.force_login(approver())
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Withdrawals (1)" in home
    listing = client.get(reverse("billing_withdrawals")).content.decode()
    assert waiting.expert.email in listing and "€50.00" in listing
    assert client.get(reverse("billing_withdrawals"), {"status": "bogus", "p": "x"}).status_code == 200


def test_staff_without_the_permission_and_non_staff_are_turned_away(client, waiting):
    client.force_login(UserFactory(is_staff=True))
    for url in (reverse("billing_withdrawals"), detail(waiting)):
        assert client.get(url).status_code in (302, 403)
        assert client.post(url, {"decision": "approve"}).status_code in (302, 403)
    client.force_login(waiting.expert)
    assert client.post(detail(waiting), {"decision": "approve"}).status_code == 302
    assert Withdrawal.objects.get(pk=waiting.pk).status == Withdrawal.Status.REQUESTED
    client.force_login(approver())
    assert client.get(reverse("billing_withdrawal_detail", kwargs={"pk": 999_999})).status_code == 404


def test_approve_in_the_admin_transfers_and_marks_it_paid(client, waiting, stripe_api):
    stripe_api.post(
        f"{API}/v1/transfers",
        json=transfer_json(
            "tr_admin",
            amount=5_000,
            destination=waiting.payout_account.stripe_account_id,
            group=f"withdrawal-{waiting.pk}",
        ),
    )
    client.force_login(approver())
    response = client.post(detail(waiting), {"decision": "approve", "note": "ok"}, follow=True)
    assert "Paid out" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Withdrawal.Status.PAID and waiting.stripe_transfer_id == "tr_admin"
    assert expert_balances(expert=waiting.expert)[0].paid_out == 5_000
    assert "Withdrawals (1)" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_reject_needs_a_note_and_a_wrong_form_changes_nothing(client, waiting, stripe_api):
    client.force_login(approver())
    response = client.post(detail(waiting), {"decision": "reject", "note": ""}, follow=True)
    assert "Say why" in response.content.decode()
    assert client.post(detail(waiting), {"decision": "pay-twice"}).status_code == 400
    assert Withdrawal.objects.get(pk=waiting.pk).status == Withdrawal.Status.REQUESTED
    client.post(detail(waiting), {"decision": "reject", "note": "Finish Stripe verification first."})
    waiting.refresh_from_db()
    assert waiting.status == Withdrawal.Status.REJECTED and waiting.staff_note == "Finish Stripe verification first."
    assert expert_balances(expert=waiting.expert)[0].available == 6_800
    assert not stripe_api.calls
