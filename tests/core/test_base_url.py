"""One public address (``BASE_URL``) behind every link made without a request, and the Sites domain."""

import re

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from icalendar import Calendar

from accounts.tasks import send_welcome_email
from billing.emails import unbookable_payment_refunded_email_send
from billing.models import Payment
from bookings.models import Booking
from bookings.services.emails import ROLES, booking_confirmation_email_send
from core.base_url import on_public_site, public_host, public_netloc, public_url
from core.sites import site_domain_sync, site_domain_sync_after_migrate
from tests.builders import bookable_expert, confirmed_booking
from tests.factories import UserFactory
from tests.marketplace.factories import next_monday_nine_berlin

OTHER = "https://book.other-host.example:9443"
LINK = re.compile(r"https?://[^\s\"'<>)]+")

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_base_url(settings):
    settings.BASE_URL = settings.WAGTAILADMIN_BASE_URL = OTHER
    return OTHER


def links_in(message) -> list[str]:
    bodies = [message.body] + [content for content, _mimetype in getattr(message, "alternatives", [])]
    return sorted({link.rstrip(".,") for body in bodies for link in LINK.findall(body)})


def assert_every_link_on(message, base: str) -> None:
    links = links_in(message)
    assert links, message.body
    assert all(link.startswith(base) for link in links), links


def test_the_helpers_build_on_base_url(other_base_url):
    assert public_url() == OTHER
    assert public_url("/bookings/3/join/") == f"{OTHER}/bookings/3/join/"
    assert public_host() == "book.other-host.example"
    assert public_netloc() == "book.other-host.example:9443"
    assert on_public_site("http://127.0.0.1:8000/accounts/confirm-email/abc:1/?x=1#top") == (
        f"{OTHER}/accounts/confirm-email/abc:1/?x=1#top"
    )
    with pytest.raises(ValueError):
        public_url("bookings/3/")


def test_booking_emails_and_their_calendar_invite_use_the_base_url(other_base_url, learner):
    booking = confirmed_booking(learner=learner, session_type=bookable_expert(), start=next_monday_nine_berlin())
    mail.outbox.clear()
    assert sum(booking_confirmation_email_send(booking_id=booking.pk, role=role) for role in ROLES) == 2
    for message in mail.outbox:
        assert_every_link_on(message, OTHER)
        assert f"{OTHER}/bookings/{booking.pk}/join/" in message.body
        assert f"{OTHER}/bookings/{booking.pk}/" in message.body
        (_name, content, _type) = message.attachments[0]
        event = Calendar.from_ical(content).walk("VEVENT")[0]
        assert str(event["uid"]) == f"{booking.reference}@book.other-host.example"
        assert str(event["url"]) == f"{OTHER}/bookings/{booking.pk}/join/"


def test_the_welcome_email_uses_the_base_url_and_its_footer_link_is_filled(other_base_url):
    user = UserFactory()
    send_welcome_email(user.pk)
    (message,) = mail.outbox
    assert_every_link_on(message, OTHER)
    html = message.alternatives[0][0]
    assert f'<a href="{OTHER}/"' in html and 'href=""' not in html


def test_the_refund_email_for_an_unbookable_payment_links_to_browse_on_the_base_url(other_base_url, learner):
    booking = confirmed_booking(learner=learner, session_type=bookable_expert(), start=next_monday_nine_berlin())
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.EXPIRED)
    payment = Payment.objects.create(
        booking=booking,
        reference=booking.reference,
        payer=learner,
        payee=booking.expert,
        amount_minor=booking.amount_minor,
        currency=booking.currency,
        commission_rate_bp=1500,
        status=Payment.Status.REFUNDED,
        idempotency_key=f"{booking.reference}-pi-v1",
    )
    mail.outbox.clear()
    assert unbookable_payment_refunded_email_send(payment_id=payment.pk) == 1
    (message,) = mail.outbox
    assert_every_link_on(message, OTHER)
    assert f"{OTHER}/experts/" in message.body


def test_allauth_mails_link_to_the_base_url_whatever_host_the_request_used(other_base_url, client, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    user = UserFactory(email="ada@example.com")
    client.post("/accounts/password/reset/", {"email": user.email}, HTTP_HOST="localhost")
    client.post("/accounts/password/reset/", {"email": "nobody@example.com"}, HTTP_HOST="localhost")
    client.post(
        "/accounts/signup/",
        {
            "full_name": "Grace",
            "email": "grace@example.com",
            "password1": "cobol-1906-nano",
            "password2": "cobol-1906-nano",
        },
        HTTP_HOST="localhost",
    )
    assert len(mail.outbox) >= 3, [m.subject for m in mail.outbox]
    for message in mail.outbox:
        assert "localhost" not in message.body, message.body
        assert_every_link_on(message, OTHER)
        html = message.alternatives[0][0] if message.alternatives else ""
        assert 'href=""' not in html


def test_the_sites_domain_follows_the_base_url(other_base_url):
    assert site_domain_sync() is True
    site = Site.objects.get_current()
    assert (site.domain, site.name) == ("book.other-host.example:9443", "TapTime")
    assert site_domain_sync() is False


def test_migrate_keeps_the_sites_domain_in_step(other_base_url, settings):
    Site.objects.all().delete()
    Site.objects.clear_cache()

    class SitesApp:
        label = "sites"

    site_domain_sync_after_migrate(sender=SitesApp(), using="default")
    assert Site.objects.get(pk=settings.SITE_ID).domain == "book.other-host.example:9443"
