"""Sessions and devices: the list, ending one or all others, new-device emails, idle and absolute timeouts."""

from __future__ import annotations

import time

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import translation
from wagtail.models import ModelLogEntry

from accounts import middleware
from accounts.devices import device_from_user_agent, place_from_ip
from accounts.models import KnownDevice
from accounts.selectors import SESSION_SEEN_KEY, SESSION_STARTED_KEY
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
CHROME_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87"
)
CHROME_ANDROID_TABLET = (
    "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
)


def browser(user_agent: str, ip: str = "81.2.69.160") -> Client:
    return Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)


def sign_in(client: Client, user) -> None:
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response


# --- What a browser says about itself -------------------------------------------


@pytest.mark.parametrize(
    ("agent", "expected_browser", "system", "kind"),
    [
        (FIREFOX_WINDOWS, "Firefox", "Windows", "computer"),
        (SAFARI_IPHONE, "Safari", "iOS", "phone"),
        (CHROME_MAC, "Chrome", "macOS", "computer"),
        (EDGE_WINDOWS, "Edge", "Windows", "computer"),
        (CHROME_ANDROID_TABLET, "Chrome", "Android", "tablet"),
        ("", "Unknown browser", "unknown system", "computer"),
        ("<script>alert(1)</script>" * 100, "Unknown browser", "unknown system", "computer"),
    ],
)
def test_devices_are_read_from_the_user_agent(agent, expected_browser, system, kind):
    device = device_from_user_agent(agent)
    assert (device.browser, device.system, device.kind) == (expected_browser, system, kind)


@pytest.mark.parametrize(
    ("ip", "place"),
    [
        ("127.0.0.1", "This computer"),
        ("::1", "This computer"),
        ("10.1.2.3", "Local network"),
        ("192.168.0.4", "Local network"),
        ("81.2.69.160", "United Kingdom"),
        ("8.8.8.8", "United States"),
        ("41.58.0.1", "Nigeria"),
        ("2a00:1450:4001::1", "Ireland"),
        ("not an address", "Unknown place"),
        ("", "Unknown place"),
    ],
)
def test_the_place_comes_from_the_address_alone(ip, place):
    with translation.override("en"):
        assert place_from_ip(ip) == place


def test_the_country_is_named_in_the_readers_language():
    with translation.override("de"):
        assert place_from_ip("8.8.8.8") == "Vereinigte Staaten"
    with translation.override("es"):
        assert place_from_ip("81.2.69.160") == "Reino Unido"


def test_a_browser_update_is_the_same_device_another_browser_is_not():
    newer = FIREFOX_WINDOWS.replace("128.0", "129.0")
    assert device_from_user_agent(newer).fingerprint(1) == device_from_user_agent(FIREFOX_WINDOWS).fingerprint(1)
    assert device_from_user_agent(EDGE_WINDOWS).fingerprint(1) != device_from_user_agent(FIREFOX_WINDOWS).fingerprint(1)


# --- The list ----------------------------------------------------------------------


def test_the_sessions_page_lists_every_signed_in_device(learner):
    laptop, phone = browser(FIREFOX_WINDOWS), browser(SAFARI_IPHONE, ip="192.168.1.20")
    sign_in(laptop, learner)
    sign_in(phone, learner)
    page = laptop.get("/accounts/sessions/").content.decode()
    assert "Firefox on Windows" in page and "Safari on iOS" in page
    assert "Local network" in page and "United Kingdom" in page
    assert page.count("This device") == 1


def test_the_page_needs_a_sign_in(client):
    response = client.get("/accounts/sessions/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_sessions_of_other_people_are_not_shown(learner):
    other = UserFactory(email="other@example.com")
    sign_in(browser(CHROME_MAC), other)
    mine = browser(FIREFOX_WINDOWS)
    sign_in(mine, learner)
    page = mine.get("/accounts/sessions/").content.decode()
    assert "Chrome on macOS" not in page


def test_a_signed_out_session_leaves_the_list(learner):
    laptop, phone = browser(FIREFOX_WINDOWS), browser(SAFARI_IPHONE)
    sign_in(laptop, learner)
    sign_in(phone, learner)
    Session.objects.filter(session_key=phone.session.session_key).delete()  # expired or signed out elsewhere
    page = laptop.get("/accounts/sessions/").content.decode()
    assert "Safari on iOS" not in page
    assert UserSession.objects.filter(user=learner).count() == 1


@pytest.mark.parametrize("rows", [1, 10])
def test_the_list_costs_the_same_queries_for_1_or_10_sessions(learner, rows, django_assert_max_num_queries):
    me = browser(FIREFOX_WINDOWS)
    sign_in(me, learner)
    for _ in range(rows - 1):
        sign_in(browser(SAFARI_IPHONE), learner)
    me.get("/accounts/sessions/")
    with django_assert_max_num_queries(6):
        response = me.get("/accounts/sessions/")
    assert response.content.decode().count("End session") == rows - 1


def test_many_sessions_are_paginated(learner):
    me = browser(FIREFOX_WINDOWS)
    sign_in(me, learner)
    for _ in range(21):
        sign_in(browser(SAFARI_IPHONE), learner)
    assert "Page 1 of 2" in me.get("/accounts/sessions/").content.decode()
    assert me.get("/accounts/sessions/?page=2").status_code == 200
    assert me.get("/accounts/sessions/?page=banana").status_code == 200


# --- Ending sessions ---------------------------------------------------------------


def test_ending_one_session_signs_that_device_out(learner):
    laptop, phone = browser(FIREFOX_WINDOWS), browser(SAFARI_IPHONE)
    sign_in(laptop, learner)
    sign_in(phone, learner)
    target = UserSession.objects.get(session_key=phone.session.session_key)
    response = laptop.post(f"/accounts/sessions/{target.pk}/end/")
    assert response.status_code == 302 and response["Location"] == "/accounts/sessions/"
    assert phone.get("/dashboard/").status_code == 302  # back to the sign-in page
    assert laptop.get("/dashboard/").status_code == 200
    entry = ModelLogEntry.objects.get(action="taptime.user.session_end", object_id=str(learner.pk))
    assert entry.user_id == learner.pk and entry.data["device"] == "Safari on iOS"


def test_ending_this_session_signs_this_browser_out(learner):
    laptop = browser(FIREFOX_WINDOWS)
    sign_in(laptop, learner)
    mine = UserSession.objects.get(session_key=laptop.session.session_key)
    response = laptop.post(f"/accounts/sessions/{mine.pk}/end/")
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in laptop.session


def test_someone_elses_session_is_a_404_and_survives(learner):
    other = UserFactory(email="other@example.com")
    theirs = browser(CHROME_MAC)
    sign_in(theirs, other)
    mine = browser(FIREFOX_WINDOWS)
    sign_in(mine, learner)
    target = UserSession.objects.get(user=other)
    assert mine.post(f"/accounts/sessions/{target.pk}/end/").status_code == 404
    assert theirs.get("/dashboard/").status_code == 200
    assert not ModelLogEntry.objects.filter(action="taptime.user.session_end").exists()


@pytest.mark.parametrize("path", ["/accounts/sessions/0/end/", "/accounts/sessions/999999999/end/"])
def test_unknown_ids_are_404(learner, path):
    me = browser(FIREFOX_WINDOWS)
    sign_in(me, learner)
    assert me.post(path).status_code == 404


def test_ending_needs_a_post(learner):
    me = browser(FIREFOX_WINDOWS)
    sign_in(me, learner)
    mine = UserSession.objects.get(user=learner)
    assert me.get(f"/accounts/sessions/{mine.pk}/end/").status_code == 405
    assert me.get("/accounts/sessions/others/end/").status_code == 405


def test_anonymous_visitors_cannot_end_anything(client, learner):
    other = browser(FIREFOX_WINDOWS)
    sign_in(other, learner)
    target = UserSession.objects.get(user=learner)
    response = client.post(f"/accounts/sessions/{target.pk}/end/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert other.get("/dashboard/").status_code == 200


def test_ending_all_others_keeps_this_one(learner):
    laptop, phone, tablet = browser(FIREFOX_WINDOWS), browser(SAFARI_IPHONE), browser(CHROME_ANDROID_TABLET)
    for each in (laptop, phone, tablet):
        sign_in(each, learner)
    response = laptop.post("/accounts/sessions/others/end/")
    assert response["Location"] == "/accounts/sessions/"
    assert phone.get("/dashboard/").status_code == 302 and tablet.get("/dashboard/").status_code == 302
    assert laptop.get("/dashboard/").status_code == 200
    assert UserSession.objects.filter(user=learner).count() == 1
    entry = ModelLogEntry.objects.get(action="taptime.user.sessions_end_others", object_id=str(learner.pk))
    assert entry.data == {"ended": 2}


def test_the_forms_need_the_csrf_token(learner):
    me = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=FIREFOX_WINDOWS)
    me.force_login(learner)
    assert me.post("/accounts/sessions/others/end/").status_code == 403


# --- New devices ---------------------------------------------------------------------


def test_the_first_device_is_remembered_quietly(learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(browser(FIREFOX_WINDOWS), learner)
    assert KnownDevice.objects.filter(user=learner).count() == 1
    assert not [m for m in mail.outbox if "New sign-in" in m.subject]


def test_a_new_device_is_emailed_once(learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(browser(FIREFOX_WINDOWS), learner)
        sign_in(browser(SAFARI_IPHONE, ip="81.2.69.161"), learner)
        sign_in(browser(SAFARI_IPHONE, ip="81.2.69.162"), learner)
        sign_in(browser(FIREFOX_WINDOWS), learner)
    emails = [m for m in mail.outbox if "New sign-in" in m.subject]
    assert len(emails) == 1 and emails[0].to == [learner.email]
    assert "Safari on iOS" in emails[0].body and "81.2.69.161" in emails[0].body
    assert "http://testserver/accounts/sessions/" in emails[0].body


def test_a_failed_sign_in_from_a_new_device_sends_nothing(learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(browser(FIREFOX_WINDOWS), learner)
        browser(SAFARI_IPHONE).post("/accounts/login/", {"login": learner.email, "password": "wrong password"})
    assert not [m for m in mail.outbox if "New sign-in" in m.subject]


# --- Timeouts with a moved clock ----------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """The middleware's clock, moved by hand: ``clock.advance(seconds)``."""

    class Clock:
        offset = 0.0

        def advance(self, seconds: float) -> None:
            self.offset += seconds

    moved = Clock()
    monkeypatch.setattr(middleware, "clock", lambda: time.time() + moved.offset)
    return moved


def test_an_idle_session_is_signed_out(learner, settings, clock):
    me = browser(FIREFOX_WINDOWS)
    sign_in(me, learner)
    clock.advance(settings.SESSION_IDLE_SECONDS - 60)
    assert me.get("/dashboard/").status_code == 200
    clock.advance(settings.SESSION_IDLE_SECONDS - 60)  # active a moment ago: still in
    assert me.get("/dashboard/").status_code == 200
    clock.advance(settings.SESSION_IDLE_SECONDS + 1)
    response = me.get("/dashboard/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/dashboard/"
    assert "_auth_user_id" not in me.session


def test_an_active_session_still_ends_at_its_absolute_age(learner, settings, clock):
    settings.SESSION_MAX_AGE_SECONDS = 3 * 60 * 60
    settings.SESSION_IDLE_SECONDS = 60 * 60
    me = browser(FIREFOX_WINDOWS)
    sign_in(me, learner)
    for _ in range(5):
        clock.advance(30 * 60)
        assert me.get("/dashboard/").status_code == 200
    clock.advance(31 * 60)
    assert me.get("/dashboard/").status_code == 302


def test_staff_sessions_use_the_shorter_idle_time(staff_user, learner, settings, clock):
    staff, member = browser(FIREFOX_WINDOWS), browser(FIREFOX_WINDOWS)
    sign_in(staff, staff_user)
    sign_in(member, learner)
    clock.advance(settings.STAFF_SESSION_IDLE_SECONDS + 1)
    assert staff.get("/dashboard/").status_code == 302
    assert member.get("/dashboard/").status_code == 200
    assert settings.STAFF_SESSION_IDLE_SECONDS < settings.SESSION_IDLE_SECONDS
    assert settings.STAFF_SESSION_MAX_AGE_SECONDS < settings.SESSION_MAX_AGE_SECONDS


def test_last_seen_is_written_at_most_once_a_minute(learner, settings, clock, django_assert_num_queries):
    me = browser(FIREFOX_WINDOWS)
    sign_in(me, learner)
    me.get("/dashboard/")
    seen = me.session[SESSION_SEEN_KEY]
    clock.advance(10)
    me.get("/dashboard/")
    assert me.session[SESSION_SEEN_KEY] == seen
    clock.advance(settings.SESSION_SEEN_RESOLUTION_SECONDS)
    me.get("/dashboard/")
    assert me.session[SESSION_SEEN_KEY] > seen
    assert UserSession.objects.get(user=learner).last_seen_at.timestamp() == pytest.approx(
        me.session[SESSION_SEEN_KEY], abs=1
    )


@pytest.mark.parametrize("junk", [None, "yesterday", [1], {"a": 1}])
def test_a_session_without_readable_times_starts_its_clocks_instead_of_failing(client, learner, junk):
    client.force_login(learner)
    session = client.session
    session[SESSION_STARTED_KEY] = junk
    session.save()
    assert client.get("/dashboard/").status_code == 200
    assert isinstance(client.session[SESSION_STARTED_KEY], float)
