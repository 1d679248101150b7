"""Sessions that can open an admin live 8 hours at most and die after 30 idle minutes; others are untouched."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.selectors import STAFF_SESSION_KEY
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302


def test_a_staff_sign_in_gets_the_idle_lifetime(client, staff_user, settings):
    sign_in(client, staff_user)
    client.get("/dashboard/")
    assert client.session.get_expiry_age() == settings.STAFF_SESSION_IDLE_SECONDS == 30 * 60
    assert STAFF_SESSION_KEY in client.session


def test_a_learner_keeps_the_usual_lifetime(client, learner):
    sign_in(client, learner)
    client.get("/dashboard/")
    assert STAFF_SESSION_KEY not in client.session
    assert client.session.get_expiry_age() != 30 * 60


def test_a_session_granted_the_admin_later_is_shortened_on_its_first_admin_page(client, learner, settings):
    client.force_login(learner)
    learner.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.get("/dashboard/")
    assert STAFF_SESSION_KEY not in client.session  # no permission query on every public page
    client.get("/admin/")
    assert STAFF_SESSION_KEY in client.session
    assert client.session.get_expiry_age() == settings.STAFF_SESSION_IDLE_SECONDS


def test_after_eight_hours_the_session_ends_whatever_the_activity(client, staff_user):
    sign_in(client, staff_user)
    session = client.session
    session[STAFF_SESSION_KEY] = time.time() - 8 * 60 * 60 - 1
    session.save()
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/admin/pages/")
    assert "_auth_user_id" not in client.session


def test_after_thirty_idle_minutes_the_session_is_gone(client, staff_user):
    sign_in(client, staff_user)
    client.get("/dashboard/")
    stored = Session.objects.get(session_key=client.session.session_key)
    assert stored.expire_date <= timezone.now() + timedelta(minutes=30)
    # Thirty-one minutes without a request: the backend no longer finds the session.
    Session.objects.filter(pk=stored.pk).update(expire_date=timezone.now() - timedelta(minutes=1))
    assert client.get("/admin/")["Location"].startswith("/accounts/login/")
