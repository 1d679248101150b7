"""In headless Chromium: the time-zone select gets a search box that narrows the grouped list."""

from datetime import time

import pytest

from bookings.services import weekly_hours_replace
from tests.browser import chromium_page, live_server_in_test_transaction
from tests.marketplace.factories import make_expert

# Servers on this machine must use ports 8101-8199; this journey takes the first free one of 8141-8149.
LIVE_PORTS = range(8141, 8150)


@pytest.fixture
def live_site(db, monkeypatch):
    with live_server_in_test_transaction(LIVE_PORTS, monkeypatch) as url:
        yield url


@pytest.mark.e2e
def test_typing_part_of_a_place_narrows_the_zone_list_and_choosing_one_shows_its_times(
    live_site, expert_index, monkeypatch
):
    ada = make_expert(expert_index, name="Ada Lovelace", prices={60: "80"})
    weekly_hours_replace(profile=ada, windows=[(day, time(9), time(17)) for day in range(5)])
    with chromium_page(monkeypatch, timezone_id="Europe/Berlin") as page:
        page.goto(f"{live_site}/experts/ada-lovelace/?tz=Europe/Berlin")
        search = page.locator("input.zone-search")
        assert search.get_attribute("aria-label") == "Search time zones"
        everything = page.locator("#slot-tz option").count()
        assert everything > 400

        search.fill("kolk")
        shown = page.locator("#slot-tz option").evaluate_all("options => options.map(o => o.value)")
        # Kolkata (under Common and under Asia) and the zone still chosen, nothing else.
        assert sorted(set(shown)) == ["Asia/Kolkata", "Europe/Berlin"]
        groups = page.locator("#slot-tz optgroup").evaluate_all("groups => groups.map(g => g.label)")
        assert groups == ["Common", "Asia", "Europe"]

        search.fill("new york")  # spaces match the underscores of the IANA name
        assert "America/New_York" in page.locator("#slot-tz option").evaluate_all("o => o.map(x => x.value)")

        page.select_option("#slot-tz", "America/New_York")
        page.click(".slot-picker__form button[type=submit]")
        page.wait_for_url("**tz=America%2FNew_York**")
        assert "Times are shown in America/New_York" in page.content()

        search = page.locator("input.zone-search")
        search.fill("")
        assert page.locator("#slot-tz option").count() == everything  # clearing brings every zone back
