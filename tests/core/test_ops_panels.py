"""The admin home's "needs a person now" panels: each group sees its own, each count equals an SQL
count, and each panel reads its numbers in at most one query."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail import hooks

from bookings.models import Booking, SessionReport
from core.admin_panels import CountPanel
from core.models import OutboxMessage
from tests.builders import booking_in_state
from tests.factories import ExpertUserFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def groups(db):
    call_command("ops_groups", stdout=open("/dev/null", "w"))  # noqa: SIM115


def member(group):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def counts(response) -> dict[str, dict[str, int]]:
    html = response.content.decode()
    found = {}
    for panel, body in re.findall(r'id="ops-panel-(\w+)">(.*?)</section>', html, re.S):
        found[panel] = {
            key: int(n) for key, n in re.findall(r'data-count="(\w+)">.*?<strong>(\d+)</strong>', body, re.S)
        }
    return found


def test_each_group_sees_its_panels_with_counts_equal_to_sql(client):
    learner, expert = UserFactory(), ExpertUserFactory()
    now = timezone.now()
    reported = booking_in_state(learner=learner, expert=expert, start=now - timedelta(hours=3))
    SessionReport.objects.create(booking=reported, reporter=learner, role="learner", kind="expert_absent")
    booking_in_state(learner=learner, expert=expert, start=now - timedelta(days=3), disputed_at=now)
    OutboxMessage.objects.create(app_label="core", handler="x.y", payload={}, dedupe_key="k1", status="failed")

    client.force_login(member("Administrators"))
    panels = counts(client.get("/admin/"))
    assert {"sessions", "calendars", "applications", "reviews", "jobs"} <= set(panels)
    assert panels["sessions"]["reports_waiting"] == 1
    assert panels["sessions"]["disputed"] == Booking.objects.filter(disputed_at__isnull=False).count() == 1
    assert panels["jobs"]["failed"] == OutboxMessage.objects.filter(status="failed").count() == 1
    assert panels["reviews"]["waiting"] == 0 and panels["calendars"] == {"connected_broken": 0, "ics_failing": 0}

    client.force_login(member("Support"))
    assert set(counts(client.get("/admin/"))) == {"sessions", "calendars"}
    client.force_login(member("Finance"))
    assert set(counts(client.get("/admin/"))) == set()
    client.force_login(member("Moderators"))
    assert set(counts(client.get("/admin/"))) == {"applications", "reviews"}


def test_each_panel_reads_in_at_most_one_query():
    request = RequestFactory().get("/admin/")
    request.user = member("Administrators")
    panels = []
    for hook in hooks.get_hooks("construct_homepage_panels"):
        hook(request, panels)
    ours = [panel for panel in panels if isinstance(panel, CountPanel)]
    assert len(ours) == 5
    for panel in ours:
        with CaptureQueriesContext(connection) as queries:
            panel.get_context_data()
        assert len(queries) <= 1, panel.name


@pytest.mark.parametrize(("group", "may_edit"), [("Finance", False), ("Support", False), ("Content editors", True)])
def test_only_content_editors_edit_pages(client, home_page, group, may_edit):
    client.force_login(member(group))
    response = client.get(f"/admin/pages/{home_page.pk}/edit/")
    assert (response.status_code == 200) is may_edit
    if not may_edit:
        assert response.status_code in (302, 403)
