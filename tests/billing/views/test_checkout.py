"""Paying for a held booking against the loopback Stripe server: confirm once, emails, refusals."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from billing.models import LedgerTransaction, Payment
from billing.services.checkout import booking_confirm_for_payment
from bookings.errors import BookingError
from bookings.models import Booking
from bookings.services import booking_confirm
from tests.builders import held_booking, pay_through_the_page
from tests.factories import UserFactory
from tests.marketplace.factories import make_expert, next_monday_nine_berlin

from ..money_builders import not_receipts

pytestmark = pytest.mark.django_db


def pay(client, booking, card, capture, **extra):
    return pay_through_the_page(client, booking, card=card, capture=capture, **extra)


def test_review_page_offers_test_cards_outside_live_mode(client, held):
    # Live mode (no test cards, Stripe's Payment Element instead): tests/billing/test_payment_element.py.
    html = client.get(reverse("booking_review", kwargs={"pk": held.pk})).content.decode()
    assert "Test card: success" in html and "Test card: decline" in html and "needs authentication" in html
    assert 'id="payment-element"' not in html and "js.stripe.com" not in html


def test_paying_confirms_the_booking_once_and_mails_both_sides(
    client, held, stripe_server, django_capture_on_commit_callbacks, mailoutbox
):
    response = pay(client, held, "success", django_capture_on_commit_callbacks, goals_note="Learn Rust lifetimes")
    assert response["Location"] == reverse("booking_detail", kwargs={"pk": held.pk})
    held.refresh_from_db()
    assert held.status == Booking.Status.CONFIRMED and held.goals_note == "Learn Rust lifetimes"
    assert held.video_url.startswith("https://meet.jit.si/TapTime-")
    payment = Payment.objects.get()
    assert (payment.status, payment.amount_minor, payment.currency) == (Payment.Status.SUCCEEDED, 8000, "EUR")
    assert payment.idempotency_key == f"booking-{held.pk}-pi-v1"
    assert len(not_receipts(mailoutbox)) == 2

    # The handler runs again (a webhook replay, a second signal): nothing changes, no more email.
    room = held.video_url
    with django_capture_on_commit_callbacks(execute=True):
        booking_confirm_for_payment(payment=payment)
        booking_confirm_for_payment(payment=payment)
    held.refresh_from_db()
    assert held.video_url == room and len(not_receipts(mailoutbox)) == 2
    assert LedgerTransaction.objects.count() == 1
    # Posting again does not charge again.
    assert pay(client, held, "success", django_capture_on_commit_callbacks)["Location"].endswith(
        f"/bookings/{held.pk}/"
    )
    assert Payment.objects.count() == 1

    # The page links the permission-checked join URL, never the room itself.
    join = reverse("booking_join", kwargs={"pk": held.pk})
    detail = client.get(reverse("booking_detail", kwargs={"pk": held.pk})).content.decode()
    assert room not in detail and "America/New_York" in detail and "video room opens" in detail
    client.force_login(held.expert)
    detail = client.get(reverse("booking_detail", kwargs={"pk": held.pk})).content.decode()
    assert room not in detail and "09:00 – 10:00 (Europe/Berlin)" in strip(detail)
    # Days before the start the join link leads back to the booking page, not to the room.
    assert client.get(join)["Location"] == reverse("booking_detail", kwargs={"pk": held.pk})
    client.force_login(UserFactory())
    assert client.get(reverse("booking_detail", kwargs={"pk": held.pk})).status_code == 404


def test_emails_carry_local_times_and_a_parsable_invite(
    client, held, stripe_server, django_capture_on_commit_callbacks, mailoutbox
):
    pay(client, held, "success", django_capture_on_commit_callbacks)
    held.refresh_from_db()
    by_recipient = {message.to[0]: message for message in mailoutbox}
    learner_mail, expert_mail = by_recipient[held.learner.email], by_recipient[held.expert.email]
    start = next_monday_nine_berlin()
    new_york = start.astimezone(ZoneInfo("America/New_York"))
    assert f"{new_york:%H:%M} – " in learner_mail.body and "(America/New_York)" in learner_mail.body
    assert "09:00 – 10:00 (Europe/Berlin)" in expert_mail.body
    assert f"{new_york:%H:%M}" in learner_mail.subject and "09:00" in expert_mail.subject
    for message in (learner_mail, expert_mail):
        # The mails and the invite lead through the participants-only join URL, never to the room itself.
        join = settings.WAGTAILADMIN_BASE_URL + reverse("booking_join", kwargs={"pk": held.pk})
        assert join in message.body and join in message.alternatives[0][0]
        assert held.video_url not in message.body and held.video_url not in message.alternatives[0][0]
        (name, content, mimetype) = message.attachments[0]
        assert name == "session.ics" and mimetype.startswith("text/calendar")
        calendar = Calendar.from_ical(content)
        assert str(calendar["method"]) == "REQUEST"
        event = calendar.walk("VEVENT")[0]
        assert event.decoded("dtstart") == start and event.decoded("dtend") == start + timedelta(hours=1)
        assert str(event["location"]) == join and held.video_url not in str(content)
        assert str(event["uid"]).startswith(f"booking-{held.pk}@")
        # The organizer is the platform; the only attendee is the recipient: no address of the other side.
        assert str(event["organizer"]) == f"mailto:{settings.BOOKING_INVITE_ORGANIZER_EMAIL}"
        recipient = message.to[0]
        other = held.expert.email if recipient == held.learner.email else held.learner.email
        assert [str(attendee) for attendee in [event["attendee"]]] == [f"mailto:{recipient}"]
        assert other not in str(content) and other not in message.body


def hold_again(client, booking):
    return client.post(reverse("booking_rehold", kwargs={"pk": booking.pk}))


def test_a_declined_card_confirms_nothing_releases_the_time_and_can_be_held_again(
    client, held, learner, stripe_server, django_capture_on_commit_callbacks, mailoutbox
):
    response = pay(client, held, "decline", django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("booking_review", kwargs={"pk": held.pk})
    held.refresh_from_db()
    # Failure releases the hold at once: the time is free for anyone, not blocked until the hold runs out.
    assert held.status == Booking.Status.EXPIRED and not held.video_url
    assert held.hold_expires_at <= timezone.now()
    assert Payment.objects.get().status == Payment.Status.FAILED
    assert not mailoutbox and not LedgerTransaction.objects.exists()
    html = client.get(response["Location"]).content.decode()
    assert "declined" in html and "the time was released" in html and "Hold this time again" in html
    assert "Test card: success" not in html  # nothing left to pay on the released booking
    # Said once, in one banner: no "declined (… declined.)" and no second "no longer held" banner.
    page = BeautifulSoup(html, "html.parser")
    (alert,) = page.select(".alert--error")
    assert alert.get_text().lower().count("declined") == 1, alert.get_text()
    assert "no longer held" not in html
    reload = client.get(response["Location"]).content.decode()
    assert reload.count("the time was released") == 1  # the page keeps saying why after a reload

    # "Hold this time again": a new hold on the same time at the server's price, then a good card confirms it.
    response = hold_again(client, held)
    again = Booking.objects.exclude(pk=held.pk).get()
    assert response["Location"] == reverse("booking_review", kwargs={"pk": again.pk})
    assert (again.learner, again.start, again.end, again.status) == (learner, held.start, held.end, "held")
    assert (again.amount_minor, again.currency) == (8000, "EUR")
    assert pay(client, again, "success", django_capture_on_commit_callbacks)["Location"] == reverse(
        "booking_detail", kwargs={"pk": again.pk}
    )
    again.refresh_from_db()
    assert again.status == Booking.Status.CONFIRMED and len(not_receipts(mailoutbox)) == 2
    # Pressing the old button again changes nothing: the learner already has this time.
    hold_again(client, held)
    assert Booking.objects.count() == 2


def test_a_released_time_taken_by_someone_else_cannot_be_held_again(
    client, held, stripe_server, django_capture_on_commit_callbacks
):
    pay(client, held, "decline", django_capture_on_commit_callbacks)
    rival = UserFactory()
    client.force_login(rival)
    client.post(
        reverse("booking_start", kwargs={"page_id": held.expert.expert_profile.pages.first().pk}),
        {"session": "60", "start": held.start.isoformat()},
    )
    assert Booking.objects.get(learner=rival).status == Booking.Status.HELD  # the slot was free again at once
    client.force_login(held.learner)
    response = hold_again(client, held)
    assert response["Location"].endswith("#times")  # back to the expert's free times
    assert "just taken" in client.get(response["Location"]).content.decode()
    assert not Booking.objects.filter(learner=held.learner, status=Booking.Status.HELD).exists()


def test_hold_again_is_only_for_the_learner_and_only_for_a_lapsed_hold(client, held, learner):
    # Someone else gets a 404 (no hint the booking exists); a GET is not allowed; anonymous users sign in first.
    client.force_login(UserFactory())
    assert hold_again(client, held).status_code == 404
    client.force_login(learner)
    assert client.get(reverse("booking_rehold", kwargs={"pk": held.pk})).status_code == 405
    assert hold_again(client, Booking(pk=held.pk + 999)).status_code == 404
    # Still held: back to its review page, nothing new.
    assert hold_again(client, held)["Location"] == reverse("booking_review", kwargs={"pk": held.pk})
    assert Booking.objects.count() == 1
    client.logout()
    assert reverse("account_login") in hold_again(client, held)["Location"]
    assert Booking.objects.count() == 1


def test_a_hold_that_ran_out_can_be_held_again(client, held, learner):
    Booking.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    html = client.get(reverse("booking_review", kwargs={"pk": held.pk})).content.decode()
    assert "no longer held for you" in html and "Hold this time again" in html
    response = hold_again(client, held)
    held.refresh_from_db()
    again = Booking.objects.get(status=Booking.Status.HELD)
    assert held.status == Booking.Status.EXPIRED and again.pk != held.pk and again.start == held.start
    assert response["Location"] == reverse("booking_review", kwargs={"pk": again.pk})


def test_hold_again_refuses_a_session_that_is_no_longer_offered(client, held, ada):
    Booking.objects.filter(pk=held.pk).update(status=Booking.Status.EXPIRED)
    ada.session_types.update(is_active=False)
    response = hold_again(client, held)
    assert response["Location"].endswith("#times")
    assert "not offered any more" in client.get(response["Location"]).content.decode()
    assert Booking.objects.count() == 1


def test_a_card_needing_authentication_says_so(client, held, stripe_server, django_capture_on_commit_callbacks):
    response = pay(client, held, "authenticate", django_capture_on_commit_callbacks)
    held.refresh_from_db()
    assert held.status == Booking.Status.HELD
    assert Payment.objects.get().status == Payment.Status.REQUIRES_ACTION
    assert "bank needs to authenticate" in client.get(response["Location"]).content.decode()


def test_an_expired_hold_is_refused_and_nothing_is_charged(
    client, held, stripe_server, django_capture_on_commit_callbacks, mailoutbox
):
    Booking.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    response = pay(client, held, "success", django_capture_on_commit_callbacks)
    assert "nothing was charged" in client.get(response["Location"]).content.decode()
    assert not Payment.objects.exists() and not mailoutbox
    held.refresh_from_db()
    assert held.status == Booking.Status.HELD


def test_a_payment_after_the_hold_ran_out_still_books_a_time_nobody_took(
    held, mailoutbox, django_capture_on_commit_callbacks
):
    Booking.objects.filter(pk=held.pk).update(status=Booking.Status.EXPIRED)
    with django_capture_on_commit_callbacks(execute=True):
        booking_confirm(booking=held)
    held.refresh_from_db()
    assert held.status == Booking.Status.CONFIRMED and held.video_url and len(mailoutbox) == 2


@pytest.mark.parametrize("case", ["taken", "learner_busy", "begun", "cancelled"])
def test_a_late_payment_is_not_booked_when_the_time_is_gone(held, ada, learner, case):
    Booking.objects.filter(pk=held.pk).update(status=Booking.Status.EXPIRED)
    if case == "taken":  # another learner holds the time now
        held_booking(learner=UserFactory(), session_type=held.session_type, start=held.start)
    elif case == "learner_busy":  # the learner booked another expert at the same time
        other = make_expert(ada.pages.first().get_parent().specific, name="Other Expert", prices={60: "50"})
        Booking.objects.create(
            learner=learner,
            expert=other.user,
            start=held.start,
            end=held.end,
            status=Booking.Status.CONFIRMED,
            amount_minor=5000,
            currency="USD",
        )
    elif case == "begun":
        Booking.objects.filter(pk=held.pk).update(
            start=timezone.now() - timedelta(minutes=5), end=timezone.now() + timedelta(minutes=55)
        )
    else:
        Booking.objects.filter(pk=held.pk).update(status=Booking.Status.CANCELLED_BY_LEARNER)
    with pytest.raises(BookingError):
        booking_confirm(booking=held)
    held.refresh_from_db()
    assert held.status != Booking.Status.CONFIRMED and not held.video_url


@pytest.mark.parametrize("fields", [{"test_card": "free"}, {"test_card": ""}, {"goals_note": "x" * 2001}])
def test_bad_pay_input_is_refused_without_a_charge(client, held, fields, django_capture_on_commit_callbacks):
    response = pay(client, held, **{"card": "success", "capture": django_capture_on_commit_callbacks, **fields})
    assert response.status_code == 400
    assert not Payment.objects.exists()


def test_the_pay_and_detail_pages_are_private(client, held, ada):
    for user in (UserFactory(), ada.user):
        client.force_login(user)
        assert (
            client.post(reverse("booking_review", kwargs={"pk": held.pk}), {"test_card": "success"}).status_code == 404
        )
    # The expert sees the confirmed booking, nobody else does; a held one is not shown to them.
    assert client.get(reverse("booking_detail", kwargs={"pk": held.pk})).status_code == 404


def strip(html):
    return re.sub(r"<[^>]+>", "", html)
