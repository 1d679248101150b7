"""In headless Chromium: both admins work under their own Content-Security-Policy, with no violation reported."""

import pytest

from tests.browser import chromium_page, live_server_in_test_transaction
from tests.factories import make_image

# Servers on this machine must use ports 8101-8199; this journey takes the first free one of 8181-8189.
LIVE_PORTS = range(8181, 8190)

# Collected in the page itself, before any of the admin's scripts run.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def live_site(db, monkeypatch):
    with live_server_in_test_transaction(LIVE_PORTS, monkeypatch) as url:
        yield url


@pytest.mark.e2e
def test_the_admin_pages_staff_use_run_without_a_policy_violation(
    client, site_tree, staff_user, live_site, monkeypatch, settings
):
    make_image("A picture")
    client.force_login(staff_user)
    session_cookie = client.cookies["sessionid"].value
    home = site_tree["home"]
    paths = [
        "/admin/",
        f"/admin/pages/{home.pk}/",
        f"/admin/pages/{home.pk}/edit/",
        f"/admin/pages/{site_tree['about'].pk}/edit/",
        "/admin/images/",
        "/admin/users/",
        "/admin/forms/",
        "/django-admin/",
        "/django-admin/accounts/user/",
    ]
    with chromium_page(monkeypatch) as page:
        page.context.add_cookies([{"name": "sessionid", "value": session_cookie, "url": live_site}])
        page.add_init_script(RECORD_VIOLATIONS)
        refused = []
        page.on(
            "console",
            lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
        )
        for path in paths:
            response = page.goto(f"{live_site}{path}")
            assert response.status == 200, path
            assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}, path
            page.wait_for_load_state("networkidle")
            assert page.evaluate("window.__cspViolations") == [], path
        # The page editor's scripts really ran: its side panels and tabs are drawn by JavaScript.
        page.goto(f"{live_site}/admin/pages/{site_tree['about'].pk}/edit/")
        page.wait_for_load_state("networkidle")
        assert page.locator("[data-side-panel-toggle]").count() > 0
        assert page.evaluate("window.__cspViolations") == []
        assert refused == []

        # Control: the public site's strict policy on the same page is refused, so the check can see one.
        settings.CONTENT_SECURITY_POLICY_ADMIN = settings.CONTENT_SECURITY_POLICY
        page.goto(f"{live_site}/admin/pages/{site_tree['about'].pk}/edit/")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__cspViolations") != []
