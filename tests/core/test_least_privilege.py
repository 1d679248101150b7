"""Least privilege per staff group (``manage.py ops_groups``): each group sees only its menus, and the
actions of the others are refused on the server, not only hidden. The audit log is read-only in both
admins."""

import json
import re

import pytest
from django.contrib import admin as django_admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from waffle.models import Flag
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from billing.models import PlatformSettings, Withdrawal
from tests.billing.test_withdrawals_admin import detail
from tests.billing.test_withdrawals_admin import waiting as waiting  # noqa: F401, PLC0414  (fixture)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# The operations console's menu items by name, and who sees each.
MENUS = {
    "ops-people": {"Support", "Finance", "Administrators"},
    "ops-money": {"Finance", "Administrators"},
    "withdrawals": {"Finance", "Administrators"},
    "data-requests": {"Support", "Administrators"},
}
GROUPS = ("Content editors", "Moderators", "Support", "Finance", "Administrators")


@pytest.fixture(autouse=True)
def groups(db):
    call_command("ops_groups", stdout=open("/dev/null", "w"))  # noqa: SIM115


def member(group):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def menu_names(client) -> set[str]:
    html = client.get("/admin/").content.decode()
    props = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S)
    assert props, "the sidebar's menu is rendered"
    return set(re.findall(r'"name": "([\w-]+)"', json.dumps(json.loads(props.group(1)))))


@pytest.mark.parametrize("group", GROUPS)
def test_each_group_sees_only_its_menus(client, group):
    client.force_login(member(group))
    names = menu_names(client)
    for menu, allowed in MENUS.items():
        assert (menu in names) is (group in allowed), (group, menu)


@pytest.mark.parametrize("group", ["Support", "Moderators", "Content editors"])
def test_only_finance_and_administrators_approve_withdrawals(client, waiting, group):  # noqa: F811
    client.force_login(member(group))
    assert client.get(detail(waiting)).status_code in (302, 403)
    assert client.post(detail(waiting), {"decision": "approve", "note": "ok"}).status_code in (302, 403)
    assert Withdrawal.objects.get(pk=waiting.pk).status == Withdrawal.Status.REQUESTED


@pytest.mark.parametrize("group", ["Finance", "Support", "Moderators"])
def test_no_group_but_content_editors_and_administrators_edits_pages(client, home_page, group):
    client.force_login(member(group))
    response = client.post(f"/admin/pages/{home_page.pk}/edit/", {"title": "Taken over"})
    assert response.status_code in (302, 403)
    home_page.refresh_from_db()
    assert home_page.title != "Taken over"


def test_moderators_see_moderation_only(client):
    client.force_login(member("Moderators"))
    for url in ("/admin/ops/people/", "/admin/ops/sessions/", "/admin/ops/money/payments/", "/admin/withdrawals/"):
        assert client.get(url).status_code in (302, 403), url
    for url in ("/admin/review-moderation/", "/admin/applications/", "/admin/session-reports/"):
        assert client.get(url).status_code == 200, url


def test_finance_reads_people_but_changes_nobody(client):
    grace = UserFactory()
    client.force_login(member("Finance"))
    assert client.get(f"/admin/ops/people/{grace.pk}/").status_code == 200
    client.post(f"/admin/ops/people/{grace.pk}/suspend/", {"suspend-reason": "x", "suspend-upcoming": "keep"})
    grace.refresh_from_db()
    assert grace.is_active


@pytest.mark.parametrize("group", ["Support", "Finance", "Moderators", "Content editors"])
def test_settings_and_flags_are_for_administrators(client, group):
    client.force_login(member(group))
    assert client.get("/admin/settings/billing/platformsettings/", follow=True).redirect_chain[-1][0] == "/admin/"
    assert client.get("/admin/feature_flags/").status_code in (302, 403)
    assert (
        PlatformSettings.load().commission_rate_bp == 1500 and Flag.objects.get(name="announcements").everyone is None
    )


def test_the_audit_log_cannot_be_edited_or_deleted_from_either_admin(client):
    grace = UserFactory()
    log(instance=grace, action="taptime.user.suspend", user=grace, data={"reason": "kept"})
    entry = ModelLogEntry.objects.get(action="taptime.user.suspend", object_id=str(grace.pk))
    assert ModelLogEntry not in django_admin.site._registry
    assert Flag not in django_admin.site._registry  # flags change only where their changes are logged
    for name in ("wagtailadmin_reports:site_history_edit", "wagtailadmin_reports:site_history_delete"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[entry.pk])
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    history = client.get("/admin/reports/site-history/", {"action": "taptime.user.suspend"})
    assert history.status_code == 200 and "Suspend an account" in history.content.decode()
    assert client.post("/admin/reports/site-history/", {"delete": entry.pk}).status_code == 405
    entry.refresh_from_db()
    assert entry.data == {"reason": "kept"}
