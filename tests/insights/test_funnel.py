"""The funnel: events only with analytics consent, buffered (no query in the request), no user id or
address stored, strict step order, counted into the daily figures, deleted after the retention period."""

import datetime as dt
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from insights.funnel import buffered, funnel_counts, funnel_flush, visitor_key
from insights.middleware import STEP_HEADER
from insights.models import FunnelEvent
from insights.periods import Period
from insights.services import daily_figures_refresh
from insights.statistics import statistics_report
from insights.tasks import purge_funnel_events
from tests.factories import UserFactory
from tests.marketplace.factories import make_expert

pytestmark = pytest.mark.django_db
CONSENT = "taptime_analytics"


@pytest.fixture(autouse=True)
def empty_buffer():
    funnel_flush()
    yield
    funnel_flush()


def today():
    return timezone.now().astimezone(dt.UTC).date()


def test_nothing_is_recorded_without_consent(client, home_page):
    assert client.get("/").status_code == 200
    client.cookies[CONSENT] = "denied"
    client.get("/")
    assert buffered() == 0 and funnel_flush() == 0


def test_a_consented_page_view_is_buffered_without_a_query_and_stores_no_identity(client, home_page):
    client.cookies[CONSENT] = "granted"
    client.get("/")  # warm the page cache and the day's salt
    funnel_flush()
    FunnelEvent.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Test browser")
    assert response.status_code == 200 and STEP_HEADER not in response.headers
    assert not [q for q in queries if "insights_funnelevent" in q["sql"]]
    assert buffered() == 1 and funnel_flush() == 1
    event = FunnelEvent.objects.get()
    assert event.step == "visit" and len(event.visitor) == 16
    stored = " ".join(str(v) for v in FunnelEvent.objects.values_list("day", "step", "visitor").get())
    assert "203.0.113.9" not in stored and "Test browser" not in stored


def test_an_expert_page_is_its_step_even_when_served_from_the_page_cache(client, expert_index, settings):
    settings.PAGE_CACHE_SECONDS = 300
    make_expert(expert_index, name="Fay Funnel")
    url = expert_index.get_children().live().first().url
    client.cookies[CONSENT] = "granted"
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert STEP_HEADER not in first.headers and STEP_HEADER not in second.headers
    funnel_flush()
    assert list(FunnelEvent.objects.values_list("step", flat=True)) == ["expert_page", "expert_page"]


def test_the_admin_api_and_errors_are_never_counted(client, home_page):
    client.cookies[CONSENT] = "granted"
    client.get("/admin/")
    client.get("/api/v1/")
    client.get("/no-such-page/")
    assert buffered() == 0


def test_the_visitor_key_rotates_daily_and_depends_on_address_and_agent():
    day = today()
    key = visitor_key(day=day, address="198.51.100.1", user_agent="A")
    assert key == visitor_key(day=day, address="198.51.100.1", user_agent="A")
    assert key != visitor_key(day=day, address="198.51.100.2", user_agent="A")
    assert key != visitor_key(day=day, address="198.51.100.1", user_agent="B")
    assert key != visitor_key(day=day - timedelta(days=1), address="198.51.100.1", user_agent="A")


def test_the_funnel_is_strict_and_lands_in_the_statistics(client):
    day = today() - timedelta(days=2)
    rows = [
        (day, "a", "visit"),
        (day, "a", "expert_page"),
        (day, "a", "hold"),
        (day, "a", "paid"),
        (day, "b", "visit"),
        (day, "b", "expert_page"),
        (day, "c", "paid"),  # paid with no expert page or hold that day: a visitor, nothing more
        (day, "d", "hold"),
    ]
    assert funnel_counts(rows) == {
        day: {"funnel_visitors": 4, "funnel_expert_page": 2, "funnel_hold": 1, "funnel_paid": 1}
    }
    FunnelEvent.objects.bulk_create(FunnelEvent(day=d, visitor=v, step=s) for d, v, s in rows)
    daily_figures_refresh(start=day, end=day)
    report = statistics_report(period=Period(day, today()), granularity="day", today=today())
    assert [row.total for row in report.funnel] == [4, 2, 1, 1]
    call_command("ops_groups", stdout=io.StringIO())
    staff = UserFactory(is_staff=True)
    staff.groups.add(Group.objects.get(name="Finance"))
    client.force_login(staff)
    body = client.get("/admin/statistics/").content.decode()
    assert "Conversion funnel" in body and "50.0 %" in body


def test_events_past_the_retention_period_are_deleted(settings):
    settings.RETENTION_FUNNEL_EVENT_DAYS = 30
    old, recent = today() - timedelta(days=31), today() - timedelta(days=30)
    FunnelEvent.objects.create(day=old, visitor="x", step="visit")
    FunnelEvent.objects.create(day=recent, visitor="y", step="visit")
    assert purge_funnel_events() == 1
    assert list(FunnelEvent.objects.values_list("visitor", flat=True)) == ["y"]
