"""Erasure reaches Stripe: the person's Connect Express account and any Stripe customer are deleted there
(Stripe's real DELETE answers, at the HTTP boundary), and a refusal keeps the erasure waiting."""

from datetime import timedelta

import pytest
from django.utils import timezone
from djstripe.models import Customer

from accounts.models import DataRequest
from accounts.privacy_services import privacy_erasure_request, privacy_erasures_run_due
from billing.models import PayoutAccount
from tests.factories import ExpertUserFactory, UserFactory

from .money_builders import ready_payout_account, stripe_error
from .webhook_payloads import API

pytestmark = pytest.mark.django_db


def _due_later():
    return timezone.now() + timedelta(days=8)


def _deleted(object_id: str, kind: str) -> dict:
    return {"id": object_id, "object": kind, "deleted": True}


def test_an_erased_experts_connect_account_is_deleted_at_stripe(stripe_api):
    expert = ExpertUserFactory(full_name="Ada Lovelace")
    ready_payout_account(expert, account_id="acct_1Erase")
    stripe_api.delete(f"{API}/v1/accounts/acct_1Erase", json=_deleted("acct_1Erase", "account"))
    request = privacy_erasure_request(subject=expert, requested_by=expert)
    assert privacy_erasures_run_due(now=_due_later()) == 1
    assert [call.request.method for call in stripe_api.calls] == ["DELETE"]
    account = PayoutAccount.objects.get(expert=expert)
    assert not account.ready and not account.charges_enabled
    request.refresh_from_db()
    assert request.status == DataRequest.Status.DONE


def test_an_account_stripe_no_longer_has_does_not_hold_the_erasure_up(stripe_api):
    expert = ExpertUserFactory()
    ready_payout_account(expert, account_id="acct_1Gone")
    stripe_api.delete(
        f"{API}/v1/accounts/acct_1Gone",
        json=stripe_error("No such account: 'acct_1Gone'", code="resource_missing"),
        status=404,
    )
    privacy_erasure_request(subject=expert, requested_by=expert)
    assert privacy_erasures_run_due(now=_due_later()) == 1


def test_a_refusal_at_stripe_keeps_the_erasure_pending_and_it_is_retried(stripe_api):
    expert = ExpertUserFactory(full_name="Ada Lovelace")
    ready_payout_account(expert, account_id="acct_1Money")
    url = f"{API}/v1/accounts/acct_1Money"
    stripe_api.delete(
        url, json=stripe_error("This account cannot be deleted: it has a balance.", code="account_invalid"), status=400
    )
    request = privacy_erasure_request(subject=expert, requested_by=expert)
    assert privacy_erasures_run_due(now=_due_later()) == 0
    request.refresh_from_db()
    assert request.status == DataRequest.Status.PENDING and "retried" in request.last_error
    expert.refresh_from_db()
    assert expert.full_name == "Ada Lovelace"  # nothing was pseudonymised half-way
    stripe_api.replace("DELETE", url, json=_deleted("acct_1Money", "account"))
    assert privacy_erasures_run_due(now=_due_later()) == 1
    request.refresh_from_db()
    assert request.status == DataRequest.Status.DONE


def test_a_stripe_customer_is_deleted_there_and_here(stripe_api):
    learner = UserFactory()
    Customer.objects.create(id="cus_1Erase", subscriber=learner, email=learner.email, livemode=False)
    stripe_api.delete(f"{API}/v1/customers/cus_1Erase", json=_deleted("cus_1Erase", "customer"))
    privacy_erasure_request(subject=learner, requested_by=learner)
    assert privacy_erasures_run_due(now=_due_later()) == 1
    assert [call.request.url for call in stripe_api.calls] == [f"{API}/v1/customers/cus_1Erase"]
    assert not Customer.objects.filter(id="cus_1Erase").exists()


def test_a_person_with_nothing_at_stripe_costs_no_call(stripe_api):
    learner = UserFactory()
    privacy_erasure_request(subject=learner, requested_by=learner)
    assert privacy_erasures_run_due(now=_due_later()) == 1
    assert len(stripe_api.calls) == 0


def test_the_demo_loopback_server_has_no_connect_so_nothing_is_called(settings):
    settings.STRIPE_API_HOST = "http://127.0.0.1:1"  # would refuse the connection if it were asked
    expert = ExpertUserFactory()
    ready_payout_account(expert, account_id="acct_1Demo")
    privacy_erasure_request(subject=expert, requested_by=expert)
    assert privacy_erasures_run_due(now=_due_later()) == 1
