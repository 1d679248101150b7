"""The API docs page in Chromium: Swagger UI renders every operation under the strict CSP, with no violation."""

import pytest

from tests.browser import chromium_page, live_server_in_test_transaction

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

LIVE_PORTS = range(8201, 8210)


def test_the_docs_page_renders_under_the_sites_csp(monkeypatch):
    with live_server_in_test_transaction(LIVE_PORTS, monkeypatch) as url, chromium_page(monkeypatch) as page:
        problems = []
        page.on("console", lambda message: message.type == "error" and problems.append(message.text))
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(f"{url}/api/v1/docs/")
        page.wait_for_selector(".opblock-summary-path")
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert any("/api/v1/bookings/" in path for path in paths), paths
        assert [text for text in problems if "Content Security Policy" in text or "Refused" in text] == [], problems
