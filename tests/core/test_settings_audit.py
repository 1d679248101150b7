"""Every change to the platform settings and to a feature flag is an audit entry: who, and each changed
field's value before and after, written through Wagtail's settings and model views (the real admin)."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import RequestFactory
from waffle.models import Flag
from wagtail.models import ModelLogEntry

from billing.models import PlatformSettings
from core.flags import ANNOUNCEMENTS, flag_on
from core.settings_audit import LOG_FLAG_CHANGE, LOG_SETTINGS_CHANGE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BILLING = "/admin/settings/billing/platformsettings/"


@pytest.fixture(autouse=True)
def groups(db):
    call_command("ops_groups", stdout=open("/dev/null", "w"))  # noqa: SIM115


def member(group):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def settings_url(client):
    return client.get(BILLING, follow=True).redirect_chain[-1][0]


def test_a_billing_settings_change_logs_who_and_before_after(client):
    admin = member("Administrators")
    client.force_login(admin)
    url = settings_url(client)
    PlatformSettings.load()
    form = {
        "commission_rate_bp": "1500",
        "hold_days": "7",
        "minimum_withdrawals": "{}",
        "legal_name": "TapTime",
        "tax_calculation": "table",
        "expired_credits": "refund",
    }
    assert client.post(url, {**form, "commission_rate_bp": "1800", "hold_days": "10"}).status_code == 302
    entry = ModelLogEntry.objects.get(action=LOG_SETTINGS_CHANGE)
    assert entry.user == admin
    assert entry.data == {
        "changes": {"commission_rate_bp": {"before": 1500, "after": 1800}, "hold_days": {"before": 7, "after": 10}}
    }
    assert not ModelLogEntry.objects.filter(action="wagtail.edit").exists()
    history = client.get("/admin/reports/site-history/").content.decode()
    assert "Change settings" in history and "commission_rate_bp: 1500 → 1800" in history


def test_refused_settings_change_nothing_and_log_nothing(client):
    client.force_login(member("Administrators"))
    url = settings_url(client)
    before = PlatformSettings.load().commission_rate_bp
    bad = {"commission_rate_bp": "10001", "hold_days": "-1", "minimum_withdrawal_minor": "lots"}
    assert client.post(url, bad).status_code == 200
    assert PlatformSettings.load().commission_rate_bp == before
    assert not ModelLogEntry.objects.filter(action=LOG_SETTINGS_CHANGE).exists()


@pytest.mark.parametrize("who", ["Support", "Finance", "Moderators", "Content editors"])
def test_only_administrators_change_billing_settings(client, who):
    client.force_login(member(who))
    response = client.post(BILLING, {"commission_rate_bp": "9000", "hold_days": "1", "minimum_withdrawal_minor": "1"})
    assert response.status_code in (302, 403)
    assert PlatformSettings.load().commission_rate_bp == 1500
    assert not ModelLogEntry.objects.filter(action=LOG_SETTINGS_CHANGE).exists()


def test_a_flag_goes_on_for_staff_first_and_its_changes_are_logged(client, django_capture_on_commit_callbacks):
    admin = member("Administrators")
    client.force_login(admin)
    assert client.get("/admin/feature_flags/").status_code == 200
    # The migration made the flag on for staff only.
    assert Flag.objects.filter(name=ANNOUNCEMENTS, staff=True, everyone=None).exists()
    flag = Flag.objects.get(name=ANNOUNCEMENTS)
    staff_request, learner_request = RequestFactory().get("/"), RequestFactory().get("/")
    staff_request.user, learner_request.user = admin, UserFactory()
    assert flag_on(staff_request, ANNOUNCEMENTS) and not flag_on(learner_request, ANNOUNCEMENTS)
    assert not flag_on(staff_request, "not-a-flag")

    edit = f"/admin/feature_flags/edit/{flag.pk}/"
    assert client.post(edit, {"name": "", "everyone": "maybe"}).status_code == 200  # refused, unchanged
    assert not ModelLogEntry.objects.filter(action=LOG_FLAG_CHANGE).exists()
    with django_capture_on_commit_callbacks(execute=True):  # waffle empties its cache after the commit
        form = {"name": ANNOUNCEMENTS, "everyone": "True", "staff": "on", "superusers": "on", "note": flag.note}
        assert client.post(edit, form).status_code == 302
    entry = ModelLogEntry.objects.get(action=LOG_FLAG_CHANGE)
    assert entry.user == admin and entry.data["changes"] == {"everyone": {"before": None, "after": True}}
    learner_request.user = UserFactory()
    assert flag_on(learner_request, ANNOUNCEMENTS)


@pytest.mark.parametrize("who", ["Support", "Finance", "Moderators", "Content editors"])
def test_only_administrators_see_and_change_flags(client, who):
    flag = Flag.objects.get(name=ANNOUNCEMENTS)
    client.force_login(member(who))
    assert client.get("/admin/feature_flags/").status_code in (302, 403)
    client.post(f"/admin/feature_flags/edit/{flag.pk}/", {"name": ANNOUNCEMENTS, "everyone": "True"})
    flag.refresh_from_db()
    assert flag.everyone is None
    assert b"Feature flags" not in client.get("/admin/").content
