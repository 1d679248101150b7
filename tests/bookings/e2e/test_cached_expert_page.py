"""In headless Chromium: an expert page served from the page cache gets its free times from the fragment,
in the browser's zone, without moving the page, and a time chosen there is posted with a valid CSRF token."""

from datetime import time

import pytest
from playwright.sync_api import expect

from bookings.services import weekly_hours_replace
from tests.browser import chromium_page, live_server_in_test_transaction
from tests.marketplace.factories import make_expert

# Servers on this machine must use ports 8101-8199; this journey takes the first free one of 8101-8109.
LIVE_PORTS = range(8101, 8110)

LAYOUT_SHIFT = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) { if (!entry.hadRecentInput) { total += entry.value; } }
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => resolve(total), 300);
})"""


@pytest.fixture
def live_site(db, monkeypatch, settings):
    settings.PAGE_CACHE_SECONDS = 300
    with live_server_in_test_transaction(LIVE_PORTS, monkeypatch) as url:
        yield url


@pytest.mark.e2e
def test_a_visitor_books_from_a_cached_expert_page(live_site, expert_index, monkeypatch):
    ada = make_expert(expert_index, name="Ada Lovelace", prices={60: "80"})
    weekly_hours_replace(profile=ada, windows=[(day, time(9), time(17)) for day in range(7)])
    url = f"{live_site}{ada.pages.first().url}"
    with chromium_page(monkeypatch, timezone_id="Asia/Tokyo") as first_visitor:
        assert first_visitor.goto(url).headers["x-page-cache"] == "miss"
    with chromium_page(monkeypatch, timezone_id="Asia/Tokyo", viewport={"width": 390, "height": 844}) as page:
        response = page.goto(url)
        assert response.headers["x-page-cache"] == "hit"
        assert "public" in response.headers["cache-control"]
        page.wait_for_selector("#times .slot-button")
        assert "Times are shown in Asia/Tokyo" in page.locator("#times").inner_text()
        assert page.evaluate(LAYOUT_SHIFT) < 0.1

        # The week links reload the fragment in place; the page itself is not fetched again.
        page.locator("#times [data-slot-nav] a").first.click()
        expect(page.locator("#times-heading")).to_be_focused()
        assert page.url == url and page.locator("#times .slot-button").count() > 0
        assert page.locator("input.zone-search").count() == 1  # the zone select got its search box

        page.locator("#times .slot-button").first.click()
        page.wait_for_url("**/accounts/login/**")  # the hold needs a sign-in: the POST passed the CSRF check
        assert "CSRF" not in page.content()


@pytest.mark.e2e
def test_without_javascript_the_link_opens_the_picker_inline(live_site, expert_index, monkeypatch):
    ada = make_expert(expert_index, name="Ada Lovelace", prices={60: "80"})
    weekly_hours_replace(profile=ada, windows=[(day, time(9), time(17)) for day in range(7)])
    with chromium_page(monkeypatch, java_script_enabled=False) as page:
        page.goto(f"{live_site}{ada.pages.first().url}")
        page.get_by_role("link", name="Show free times and book").click()
        assert "week=0" in page.url
        assert page.locator("#times .slot-button").count() > 0 or "No free times" in page.content()
