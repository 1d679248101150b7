"""The person page's country filter, sign-in history and role changes (/admin/ops/people/): security
events written by the real sign-in flow, roles changed only by administrators with a logged reason and
before/after, and a constant query count however long a person's history is."""

import re

import pytest
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from accounts.roles import LOG_ROLES_CHANGE
from accounts.security_events import LOG_MFA_ADDED, LOG_SIGN_IN, LOG_SIGN_IN_FAILED
from tests.factories import PASSWORD, ExpertUserFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/ops/people/"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.fixture(autouse=True)
def groups(db):
    call_command("ops_groups", stdout=open("/dev/null", "w"))  # noqa: SIM115


def member(group, **fields):
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


def url(user, action=None):
    return reverse(f"ops_person_{action}" if action else "ops_person", args=[user.pk])


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_country_filter_reads_the_time_zone_and_ignores_nonsense(client):
    client.force_login(member("Support"))
    lisbon = UserFactory(time_zone="Europe/Lisbon")
    azores = UserFactory(time_zone="Atlantic/Azores")
    berlin = UserFactory(time_zone="Europe/Berlin")

    def rows(**query):
        response = client.get(LIST, query)
        assert response.status_code == 200
        return {int(pk) for pk in re.findall(r'href="/admin/ops/people/(\d+)/"', response.content.decode())}

    assert {lisbon.pk, azores.pk} <= rows(country="PT") and berlin.pk not in rows(country="PT")
    assert berlin.pk in rows(country="DE") and lisbon.pk not in rows(country="DE")
    assert "Portugal" in text(client.get(LIST, {"country": "PT"}))
    for nonsense in ("XX", "pt'; drop", "", "P" * 500):
        assert client.get(LIST, {"country": nonsense}).status_code == 200
    assert "Portugal" in text(client.get(url(lisbon)))


def test_sign_in_and_failures_are_security_events_without_secrets(client):
    grace = UserFactory(full_name="Grace Hopper")
    bad = client.post(
        "/accounts/login/", {"login": grace.email, "password": "wrong-password-1"}, HTTP_USER_AGENT=FIREFOX
    )
    assert bad.status_code == 200
    stranger = client.post("/accounts/login/", {"login": "nobody@example.com", "password": "x"})
    assert stranger.status_code == 200
    assert client.post("/accounts/login/", {"login": grace.email, "password": PASSWORD}, HTTP_USER_AGENT=FIREFOX)[
        "Location"
    ]
    entries = list(ModelLogEntry.objects.for_instance(grace).order_by("pk"))
    assert [entry.action for entry in entries] == [LOG_SIGN_IN_FAILED, LOG_SIGN_IN]
    assert entries[0].user is None and entries[1].user == grace
    assert entries[1].data == {"device": "Firefox on Windows", "place": "This computer"}
    assert not ModelLogEntry.objects.filter(action=LOG_SIGN_IN_FAILED).exclude(object_id=str(grace.pk)).exists()
    stored = str([entry.data for entry in ModelLogEntry.objects.all()])
    assert "wrong-password-1" not in stored and PASSWORD not in stored and "127.0.0.1" not in stored

    client.force_login(member("Support"))
    page = text(client.get(url(grace)))
    assert "Sign-in history" in page and "Failed sign-in" in page and "Firefox on Windows" in page


def test_a_second_factor_added_is_logged_with_its_kind_only(rf):
    grace = UserFactory()
    authenticator = Authenticator.objects.create(user=grace, type=Authenticator.Type.TOTP, data={"secret": "S3CR3T"})
    mfa_signals.authenticator_added.send(
        sender=Authenticator, request=rf.get("/"), user=grace, authenticator=authenticator
    )
    entry = ModelLogEntry.objects.get(action=LOG_MFA_ADDED)
    assert entry.data["kind"] == "totp" and "S3CR3T" not in str(entry.data)


def roles_post(client, person, **data):
    fields = {"roles-reason": data.pop("reason", "New support hire")}
    fields.update({f"roles-{key}": value for key, value in data.items()})
    return client.post(url(person, "roles"), fields)


def test_an_administrator_changes_roles_with_a_reason_logged_before_and_after(client):
    grace = UserFactory(full_name="Grace Hopper")
    admin = member("Administrators")
    client.force_login(admin)
    assert "Change roles" in text(client.get(url(grace)))
    support = Group.objects.get(name="Support")

    assert roles_post(client, grace, reason="", groups=[support.pk]).status_code == 400
    assert roles_post(client, grace, groups=["999999"]).status_code == 400
    assert roles_post(client, grace, groups=["abc"]).status_code == 400
    grace.refresh_from_db()
    assert not grace.is_staff and not ModelLogEntry.objects.filter(action=LOG_ROLES_CHANGE).exists()

    assert roles_post(client, grace, groups=[support.pk]).status_code == 302
    grace.refresh_from_db()
    assert grace.is_staff and list(grace.groups.values_list("name", flat=True)) == ["Support"]
    entry = ModelLogEntry.objects.get(action=LOG_ROLES_CHANGE)
    assert entry.user == admin and entry.data == {
        "reason": "New support hire",
        "before": {"expert": False, "staff": False, "groups": []},
        "after": {"expert": False, "staff": True, "groups": ["Support"]},
    }
    # Nothing changed: no second entry. Taking every group away takes staff away.
    assert roles_post(client, grace, groups=[support.pk]).status_code == 302
    assert ModelLogEntry.objects.filter(action=LOG_ROLES_CHANGE).count() == 1
    assert roles_post(client, grace, reason="Left the team").status_code == 302
    grace.refresh_from_db()
    assert not grace.is_staff and not grace.groups.exists()


def test_the_expert_role_is_taken_away_here_but_never_given(client):
    client.force_login(member("Administrators"))
    learner, expert = UserFactory(), ExpertUserFactory()
    assert roles_post(client, learner, expert="on").status_code == 400
    learner.refresh_from_db()
    assert not learner.is_expert
    assert roles_post(client, expert, reason="Fake credentials").status_code == 302
    expert.refresh_from_db()
    assert not expert.is_expert


@pytest.mark.parametrize("who", ["Support", "Finance", "Moderators", "Content editors"])
def test_only_administrators_change_roles(client, who):
    grace = UserFactory()
    client.force_login(member(who))
    administrators = Group.objects.get(name="Administrators")
    assert roles_post(client, grace, groups=[administrators.pk]).status_code in (302, 403)
    grace.refresh_from_db()
    assert not grace.is_staff and not grace.groups.exists()
    if who == "Support":
        assert "Change roles" not in text(client.get(url(grace)))


def test_nobody_changes_their_own_roles_or_a_superusers(client):
    admin = member("Administrators")
    boss = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    support = Group.objects.get(name="Support")
    for target in (admin, boss):
        assert roles_post(client, target, groups=[support.pk]).status_code == 400
        assert list(target.groups.values_list("name", flat=True)) == (["Administrators"] if target == admin else [])
    assert client.get(url(admin, "roles")).status_code == 405
    assert client.post("/admin/ops/people/999999999/roles/", {}).status_code == 404


def test_the_person_page_reads_in_constant_queries_as_history_grows(client):
    grace = UserFactory()
    client.force_login(member("Administrators"))

    def count(n):
        for i in range(n):
            log(instance=grace, action=LOG_SIGN_IN, user=grace, data={"device": "Firefox on Windows", "place": "x"})
            log(instance=grace, action="taptime.user.suspend", user=grace, data={"reason": f"r{i}"})
            UserSession.objects.create(user=grace, ip="127.0.0.1", session_key=f"s-{n}-{i}", user_agent=FIREFOX)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(grace)).status_code == 200
        return len(queries)

    assert count(2) == count(30)
