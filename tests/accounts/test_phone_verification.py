"""A mobile number in /accounts/settings/: added, verified by a texted code, changed, removed.

Codes are hashed at rest, expire after 10 minutes, take at most 5 wrong tries, and may be asked for once a
minute and 5 times a day per person and per number; the SMS checkbox needs a verified number."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from notifications.models import NotificationPreference, PhoneNumber, PhoneVerification
from tests.factories import UserFactory

MOBILE = "+4915123456789"
OTHER_MOBILE = "+4917612345678"
SETTINGS = "/accounts/settings/"
PROFILE = {"full_name": "Ada L", "time_zone": "Europe/Berlin", "preferred_language": "en"}


@pytest.fixture(autouse=True)
def distinct_codes(monkeypatch):
    """Codes 100001, 100002, … so that no two codes of a test are the same by chance."""
    counter = iter(range(100001, 999999))
    monkeypatch.setattr("notifications.phones.secrets.randbelow", lambda _limit: next(counter))


@pytest.fixture
def user(db):
    return UserFactory(full_name="Ada Lovelace", time_zone="Europe/Berlin")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def add(client, number):
    return client.post(reverse("phone_number_save"), {"phone-number": number})


def verify(client, code):
    return client.post(reverse("phone_code_verify"), {"code-code": code})


def texted_code(sms_outbox):
    return re.search(r"\b(\d{6})\b", sms_outbox[-1]["body"]).group(1)


def later(monkeypatch, **delta):
    """Move the clock the views read to ``delta`` after the real now."""
    moved = datetime.now(UTC) + timedelta(**delta)
    monkeypatch.setattr("accounts.views.timezone.now", lambda: moved)
    return moved


def wrong(code):
    return f"{(int(code) + 1) % 10**6:06d}"


def test_a_person_adds_a_number_gets_a_code_and_verifies_it(signed_in, user, sms_outbox):
    page = signed_in.get(SETTINGS).content.decode()
    assert 'id="phone-heading"' in page and "Text message reminders need a verified mobile number." in page
    assert re.search(r'name="reminders-reminder_sms"[^>]*disabled', page)
    response = add(signed_in, "0151 2345 6789")  # written locally: read in the country of the person's zone
    assert response.status_code == 302 and response["Location"].endswith("#phone")
    assert [text["to"] for text in sms_outbox] == [MOBILE] and "expires in 10 minutes" in sms_outbox[0]["body"]
    phone = PhoneNumber.objects.get(user=user)
    assert phone.number == MOBILE and not phone.is_verified
    stored = PhoneVerification.objects.get(user=user)
    assert texted_code(sms_outbox) not in stored.code_hash and len(stored.code_hash) == 64  # hashed at rest
    page = signed_in.get(SETTINGS).content.decode()
    assert "+49 151 23456789" in page and 'name="code-code"' in page and "is not verified yet" in page
    response = verify(signed_in, texted_code(sms_outbox)[:3] + " " + texted_code(sms_outbox)[3:])
    assert response.status_code == 302
    assert PhoneNumber.objects.get(user=user).is_verified
    page = signed_in.get(SETTINGS).content.decode()
    assert "Your verified number" in page and not re.search(r'name="reminders-reminder_sms"[^>]*disabled', page)
    assert "Text message reminders need a verified mobile number." not in page
    signed_in.post(SETTINGS, {**PROFILE, "reminders-reminder_email": "on", "reminders-reminder_sms": "on"})
    assert NotificationPreference.objects.get(user=user).reminder_sms


def test_a_wrong_code_is_refused_and_counted(signed_in, user, sms_outbox):
    add(signed_in, MOBILE)
    response = verify(signed_in, wrong(texted_code(sms_outbox)))
    assert response.status_code == 400 and "That code is not right. You have 4 tries left." in response.content.decode()
    assert PhoneVerification.objects.get(user=user).attempts == 1
    assert not PhoneNumber.objects.get(user=user).is_verified


def test_five_wrong_tries_kill_the_code_even_for_the_right_one(signed_in, user, sms_outbox):
    add(signed_in, MOBILE)
    code = texted_code(sms_outbox)
    for _ in range(5):
        verify(signed_in, wrong(code))
    response = verify(signed_in, code)
    assert response.status_code == 400 and "Too many wrong codes. Ask for a new one." in response.content.decode()
    assert not PhoneNumber.objects.get(user=user).is_verified
    assert PhoneVerification.objects.get(user=user).attempts == 5  # no further tries counted past the limit


def test_an_expired_code_is_refused(signed_in, user, sms_outbox, monkeypatch):
    add(signed_in, MOBILE)
    later(monkeypatch, minutes=10, seconds=1)
    response = verify(signed_in, texted_code(sms_outbox))
    assert response.status_code == 400 and "This code has expired." in response.content.decode()
    assert not PhoneNumber.objects.get(user=user).is_verified


def test_a_new_code_once_a_minute_five_a_day_and_the_newest_code_only(signed_in, user, sms_outbox, monkeypatch):
    add(signed_in, MOBILE)
    first = texted_code(sms_outbox)
    response = signed_in.post(reverse("phone_code_resend"), follow=True)
    assert "Please wait a minute" in response.content.decode() and len(sms_outbox) == 1
    for minute in range(1, 5):
        later(monkeypatch, minutes=2 * minute)
        signed_in.post(reverse("phone_code_resend"))
    assert len(sms_outbox) == 5
    later(monkeypatch, minutes=12)
    response = signed_in.post(reverse("phone_code_resend"), follow=True)
    assert "You have asked for 5 codes today" in response.content.decode() and len(sms_outbox) == 5
    assert verify(signed_in, first).status_code == 400  # an older code is dead
    assert verify(signed_in, texted_code(sms_outbox)).status_code == 302
    later(monkeypatch, days=1, minutes=12)
    assert PhoneNumber.objects.get(user=user).is_verified


def test_one_number_gets_at_most_five_codes_a_day_whoever_asks(client, db, sms_outbox):
    for _ in range(5):
        client.force_login(UserFactory(time_zone="Europe/Berlin"))
        assert add(client, MOBILE).status_code == 302
    client.force_login(UserFactory(time_zone="Europe/Berlin"))
    response = add(client, MOBILE)
    assert (
        response.status_code == 400 and "This number has been sent too many codes today." in response.content.decode()
    )
    assert len(sms_outbox) == 5


def test_another_persons_code_verifies_nothing(client, db, sms_outbox):
    mallory, victim = UserFactory(time_zone="Europe/Berlin"), UserFactory(time_zone="Europe/Berlin")
    client.force_login(victim)
    add(client, MOBILE)
    victims_code = texted_code(sms_outbox)
    client.force_login(mallory)
    add(client, OTHER_MOBILE)
    response = verify(client, victims_code)
    assert response.status_code == 400 and "That code is not right." in response.content.decode()
    # Mallory claims the victim's number and enters the victim's code: still refused (codes are per person).
    client.post(reverse("phone_number_save"), {"phone-number": MOBILE})
    assert PhoneNumber.objects.get(user=mallory).number == OTHER_MOBILE  # within the minute: refused, unchanged
    assert not PhoneNumber.objects.filter(verified_at__isnull=False).exists()
    assert PhoneVerification.objects.get(user=victim).attempts == 0


def test_a_claimed_number_with_someone_elses_code_stays_unverified(client, db, sms_outbox, monkeypatch):
    mallory, victim = UserFactory(time_zone="Europe/Berlin"), UserFactory(time_zone="Europe/Berlin")
    client.force_login(victim)
    add(client, MOBILE)
    victims_code = texted_code(sms_outbox)
    client.force_login(mallory)
    add(client, MOBILE)
    response = verify(client, victims_code)
    assert response.status_code == 400 and "That code is not right." in response.content.decode()
    assert not PhoneNumber.objects.filter(verified_at__isnull=False).exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("+49 30 12345678", "This is not a mobile number"),
        ("<script>alert(1)</script>", "This is not a phone number we can read"),
        ("+4915123456789 ext. 12", "This is not a phone number we can read"),
        ("+4915123456789\x00", "Null characters are not allowed."),
        ("9" * 40, "Ensure this value has at most 32 characters"),
        ("", "This field is required."),
    ],
)
def test_hostile_or_wrong_numbers_get_a_clear_message_and_change_nothing(signed_in, user, sms_outbox, typed, message):
    response = add(signed_in, typed)
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    assert "<script>alert(1)</script>" not in page
    assert not PhoneNumber.objects.filter(user=user).exists() and sms_outbox == []


def test_control_characters_around_a_number_are_dropped_not_stored(signed_in, user, sms_outbox):
    assert add(signed_in, "\u202e+49 151 2345 6789\u200b").status_code == 302
    assert PhoneNumber.objects.get(user=user).number == MOBILE


@pytest.mark.parametrize("typed", ["12345", "abcdef", "1234567", "١٢٣٤٥٦", "<b>1</b>"])
def test_a_code_that_is_not_six_digits_is_refused_without_counting_a_try(signed_in, user, sms_outbox, typed):
    add(signed_in, MOBILE)
    response = verify(signed_in, typed)
    assert response.status_code == 400 and "Enter the 6 digits of the code we texted you." in response.content.decode()
    assert PhoneVerification.objects.get(user=user).attempts == 0


def test_a_tampered_settings_form_cannot_switch_texts_on_without_a_verified_number(signed_in, user, sms_outbox):
    add(signed_in, MOBILE)
    signed_in.post(SETTINGS, {**PROFILE, "reminders-reminder_sms": "on", "user": "1", "phone-number": OTHER_MOBILE})
    assert not NotificationPreference.objects.get(user=user).reminder_sms
    assert PhoneNumber.objects.get(user=user).number == MOBILE
    # Extra fields posted to the code form change nothing either: the code is checked against this person's row.
    verify_response = signed_in.post(
        reverse("phone_code_verify"), {"code-code": texted_code(sms_outbox), "user_id": "999", "number": OTHER_MOBILE}
    )
    assert verify_response.status_code == 302 and PhoneNumber.objects.get(user=user).number == MOBILE


def test_changing_the_number_unverifies_it_and_removing_it_turns_texts_off(signed_in, user, sms_outbox, monkeypatch):
    add(signed_in, MOBILE)
    verify(signed_in, texted_code(sms_outbox))
    signed_in.post(SETTINGS, {**PROFILE, "reminders-reminder_sms": "on"})
    response = add(signed_in, MOBILE)
    assert response.status_code == 400 and "This number is already verified." in response.content.decode()
    later(monkeypatch, minutes=2)
    add(signed_in, OTHER_MOBILE)
    phone = PhoneNumber.objects.get(user=user)
    assert phone.number == OTHER_MOBILE and not phone.is_verified and sms_outbox[-1]["to"] == OTHER_MOBILE
    signed_in.post(reverse("phone_number_remove"))
    assert not PhoneNumber.objects.filter(user=user).exists()
    assert not NotificationPreference.objects.get(user=user).reminder_sms
    assert "Add a mobile number to get a text message" in signed_in.get(SETTINGS).content.decode()


def test_anonymous_and_wrong_methods_are_turned_away(client, db):
    for name in ("phone_number_save", "phone_code_verify", "phone_code_resend", "phone_number_remove"):
        response = client.post(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        client.force_login(UserFactory())
        assert client.get(reverse(name)).status_code == 405
        client.logout()


def test_resend_or_verify_without_a_number_says_so(signed_in):
    response = signed_in.post(reverse("phone_code_resend"), follow=True)
    assert "Add a mobile number first." in response.content.decode()
    response = verify(signed_in, "123456")
    assert response.status_code == 400 and "Add a mobile number first." in response.content.decode()


def test_the_settings_page_reads_the_same_number_of_queries_however_much_history(
    signed_in, user, sms_outbox, monkeypatch, django_assert_num_queries
):
    add(signed_in, MOBILE)
    signed_in.get(SETTINGS)  # warm: session, content types
    # Six, one for the calendar-feed section (its address, bookings.templatetags.calendar_feed_tags) and one
    # for the header's unread-messages badge (bookings.templatetags.message_tags).
    with django_assert_num_queries(8):
        assert signed_in.get(SETTINGS).status_code == 200
    for minute in range(1, 5):
        later(monkeypatch, minutes=2 * minute)
        add(signed_in, MOBILE)
    others = UserFactory.create_batch(20)
    PhoneNumber.objects.bulk_create(
        [PhoneNumber(user=other, number=f"+4915123456{index:03d}") for index, other in enumerate(others)]
    )
    monkeypatch.undo()
    with django_assert_num_queries(8):
        assert signed_in.get(SETTINGS).status_code == 200
