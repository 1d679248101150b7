"""In headless Chromium: an editor signs in, writes and publishes a blog post, and finds it live."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import chromium_page, live_server_in_test_transaction
from tests.factories import PASSWORD

# Servers on this machine must use ports 8101-8199; this journey takes the first free one of 8131-8139.
LIVE_PORTS = range(8131, 8140)


@pytest.fixture
def live_site(db, monkeypatch):
    with live_server_in_test_transaction(LIVE_PORTS, monkeypatch) as url:
        yield url


@pytest.fixture
def browser_page(monkeypatch):
    with chromium_page(monkeypatch) as page:
        yield page


@pytest.mark.e2e
def test_an_editor_creates_and_publishes_a_blog_post(site_tree, staff_user, live_site, browser_page):
    page = browser_page
    blog = site_tree["blog"]

    page.goto(f"{live_site}/admin/")
    assert "/accounts/login/" in page.url
    page.fill('input[name="login"]', staff_user.email)
    page.fill('input[name="password"]', PASSWORD)
    page.click('form [type="submit"]')
    page.wait_for_url(re.compile(r".*/admin/.*"))

    page.goto(f"{live_site}/admin/pages/add/blog/blogpage/{blog.pk}/")
    page.fill("#id_title", "Notes from our first meetup")
    page.fill("#id_date", "2026-11-20")
    page.fill("#id_intro", "Forty learners and ten experts met in Berlin. Here is what we learned.")
    # StreamField: add a paragraph block and type into its rich-text editor.
    page.locator(
        "[data-streamfield-list-container] button[title='Insert a block'], button.c-sf-add-button"
    ).first.click()
    page.get_by_role("option", name=re.compile("Paragraph")).or_(
        page.get_by_text("Paragraph", exact=True)
    ).first.click()
    editor = page.locator(".public-DraftEditor-content").first
    editor.click()
    page.keyboard.type("We talked about mentoring, pricing and time zones.")
    expect(editor).to_contain_text("We talked about mentoring")
    # Draftail writes its hidden input when the editor loses focus.
    page.locator("#id_intro").click()
    page.wait_for_timeout(500)
    # The slug is filled from the title (it sits on the Promote tab).

    # Publish lives in the footer's action menu.
    page.locator("footer button.dropdown-toggle, footer [data-w-dropdown-target='toggle']").first.click()
    page.get_by_role("button", name=re.compile("Publish")).first.click()
    page.wait_for_url(re.compile(r".*/admin/pages/\d+/.*"))

    page.goto(f"{live_site}/blog/")
    link = page.get_by_role("link", name="Notes from our first meetup")
    assert link.count() == 1
    link.click()
    page.wait_for_url(re.compile(r".*/blog/notes-from-our-first-meetup/$"))
    assert page.locator("h1").inner_text() == "Notes from our first meetup"
    html = page.content()
    assert "We talked about mentoring" in html, html[html.find("<h1") :][:1500]
