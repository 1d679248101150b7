"""The operations console's people (/admin/ops/people/): who may see and act, search and filters with
constant queries, a person's page with what other apps register (never secrets), and suspend,
reactivate, reset the second factor and resend verification, each with a reason and logged."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts.services import LOG_MFA_RESET, LOG_REACTIVATE, LOG_SUSPEND, LOG_VERIFICATION_RESEND
from billing.models import Payment
from tests.builders import booking_in_state
from tests.factories import PASSWORD, ExpertUserFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/ops/people/"
SECRET = "JBSWY3DPEHPK3PXP-totp-secret"


@pytest.fixture(autouse=True)
def groups(db):
    call_command("ops_groups", stdout=open("/dev/null", "w"))  # noqa: SIM115


def member(group, **fields):
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def person_url(user, action=None):
    return reverse(f"ops_person_{action}" if action else "ops_person", args=[user.pk])


@pytest.mark.parametrize(
    ("who", "list_status", "may_act"),
    [("Support", 200, True), ("Finance", 200, False), ("Content editors", 302, False), ("Moderators", 302, False)],
)
def test_who_sees_people_and_who_acts(client, who, list_status, may_act):
    grace = UserFactory(full_name="Grace Hopper")
    client.force_login(member(who))
    assert client.get(LIST).status_code == list_status
    assert client.get(person_url(grace)).status_code == list_status
    response = client.post(person_url(grace, "suspend"), {"suspend-reason": "spam", "suspend-upcoming": "keep"})
    assert response.status_code == (302 if may_act else 302)
    grace.refresh_from_db()
    assert grace.is_active is (not may_act)


def test_anonymous_and_learners_are_sent_to_the_login(client):
    grace = UserFactory()
    assert "/login/" in client.get(LIST)["Location"]
    client.force_login(grace)
    assert "/login/" in client.get(person_url(grace))["Location"]


def test_search_filters_and_constant_queries(client):
    client.force_login(member("Support"))
    ada = ExpertUserFactory(full_name="Ada Lovelace", email="ada@example.com")
    grace = UserFactory(full_name="Grace Hopper", email="grace@example.com", is_active=False)
    old = UserFactory(full_name="Old Timer", date_joined=timezone.now() - timedelta(days=400))

    def rows(**query):
        response = client.get(LIST, query)
        assert response.status_code == 200
        return {int(pk) for pk in re.findall(r'href="/admin/ops/people/(\d+)/"', response.content.decode())}

    assert rows(q="lovelace") == {ada.pk}
    assert rows(q="grace@") == {grace.pk}
    assert ada.pk in rows(role="expert") and grace.pk not in rows(role="expert")
    assert rows(status="suspended") == {grace.pk}
    since = (timezone.now() - timedelta(days=30)).date().isoformat()
    assert old.pk not in rows(date_joined_from=since) and ada.pk in rows(date_joined_from=since)
    for query in ({"role": "god"}, {"status": "x"}, {"date_joined_from": "yesterday"}, {"q": "%" * 400}):
        assert client.get(LIST, query).status_code == 200

    def count(n):
        for _i in range(n):
            UserFactory()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    assert count(5) == count(45)


def test_the_page_shows_sections_by_permission_and_never_secrets(client):
    grace, ada = UserFactory(full_name="Grace Hopper"), ExpertUserFactory(full_name="Ada Lovelace")
    booking = booking_in_state(learner=grace, expert=ada, start=timezone.now() + timedelta(days=2))
    Payment.objects.create(
        booking=booking,
        reference=f"booking-{booking.pk}",
        payer=grace,
        payee=ada,
        amount_minor=8000,
        currency="EUR",
        commission_rate_bp=1500,
        status=Payment.Status.SUCCEEDED,
        idempotency_key="k-1",
    )
    Authenticator.objects.create(user=grace, type=Authenticator.Type.TOTP, data={"secret": SECRET})
    client.force_login(member("Support"))
    page = client.get(person_url(grace)).content.decode()
    assert reverse("ops_session_detail", args=[booking.pk]) in page
    assert f"booking-{booking.pk}" not in page  # support sees no money
    assert SECRET not in page and grace.password not in page and "Set up" in page
    client.force_login(member("Finance"))
    page = client.get(person_url(grace)).content.decode()
    assert f"booking-{booking.pk}" in page and "€80.00" in page
    assert reverse("ops_session_detail", args=[booking.pk]) not in page
    assert client.get("/admin/ops/people/999999999/").status_code == 404


def test_suspend_then_reactivate_with_reasons(client):
    grace = UserFactory(full_name="Grace Hopper")
    support = member("Support", full_name="Sam Support")
    client.force_login(support)
    refused = client.post(person_url(grace, "suspend"), {"suspend-upcoming": "keep"})
    assert refused.status_code == 400
    bad_rule = client.post(person_url(grace, "suspend"), {"suspend-reason": "x", "suspend-upcoming": "burn"})
    assert bad_rule.status_code == 400
    grace.refresh_from_db()
    assert grace.is_active and not ModelLogEntry.objects.for_instance(grace).exists()

    response = client.post(person_url(grace, "suspend"), {"suspend-reason": "Fraud report", "suspend-upcoming": "keep"})
    assert response.status_code == 302
    grace.refresh_from_db()
    assert not grace.is_active
    entry = ModelLogEntry.objects.get(action=LOG_SUSPEND)
    assert (entry.user, entry.data) == (support, {"reason": "Fraud report", "upcoming": "keep"})
    assert not client.login(email=grace.email, password=PASSWORD)
    page = text(client.get(person_url(grace)))
    assert "Suspend an account" in page and "Fraud report" in page and "Reactivate" in page

    assert client.post(person_url(grace, "reactivate"), {"reactivate-reason": "Cleared"}).status_code == 302
    grace.refresh_from_db()
    assert grace.is_active and ModelLogEntry.objects.filter(action=LOG_REACTIVATE).count() == 1


def test_a_suspended_learner_or_expert_cannot_be_booked():
    from bookings.errors import BookingError
    from bookings.services import booking_hold
    from tests.builders import bookable_expert
    from tests.marketplace.factories import next_monday_nine_berlin

    session_type = bookable_expert()
    learner = UserFactory()
    session_type.profile.user.is_active = False
    session_type.profile.user.save(update_fields=["is_active"])
    with pytest.raises(BookingError):
        booking_hold(learner=learner, session_type=session_type, start=next_monday_nine_berlin())


def test_staff_cannot_suspend_themselves_or_an_administrator(client):
    support = member("Support")
    boss = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(support)
    for target in (support, boss):
        response = client.post(person_url(target, "suspend"), {"suspend-reason": "x", "suspend-upcoming": "keep"})
        assert response.status_code == 400
        target.refresh_from_db()
        assert target.is_active


def test_reset_the_second_factor_and_resend_verification(client, mailoutbox):
    grace = UserFactory()
    Authenticator.objects.create(user=grace, type=Authenticator.Type.TOTP, data={"secret": SECRET})
    EmailAddress.objects.update_or_create(user=grace, email=grace.email, defaults={"primary": True, "verified": False})
    client.force_login(member("Support"))
    assert client.post(person_url(grace, "mfa_reset"), {"mfa-reason": ""}).status_code == 400
    assert Authenticator.objects.filter(user=grace).count() == 1
    assert client.post(person_url(grace, "mfa_reset"), {"mfa-reason": "Lost phone, ID checked"}).status_code == 302
    assert not Authenticator.objects.filter(user=grace).exists()
    assert ModelLogEntry.objects.get(action=LOG_MFA_RESET).data == {"reason": "Lost phone, ID checked", "removed": 1}
    assert client.post(person_url(grace, "verification")).status_code == 302
    assert [message.to for message in mailoutbox] == [[grace.email]]
    assert ModelLogEntry.objects.filter(action=LOG_VERIFICATION_RESEND).count() == 1
