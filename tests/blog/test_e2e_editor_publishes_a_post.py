"""In headless Chromium: an editor signs in, writes and publishes a blog post, and finds it live."""

import re

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import WSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread
from playwright.sync_api import expect

from tests.factories import PASSWORD

# Servers on this machine must use ports 8101-8199; this journey takes the first free one of 8131-8139.
LIVE_PORTS = range(8131, 8140)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
]


class _OneRequestAtATimeServer(WSGIServer):
    """Single-threaded, so every request runs in the server thread on the shared connection."""

    def __init__(self, *args, connections_override=None, **kwargs):
        kwargs["allow_reuse_address"] = True  # a rerun right after the last one must not wait for TIME_WAIT
        super().__init__(*args, **kwargs)


class _SharedConnectionLiveServerThread(LiveServerThread):
    server_class = _OneRequestAtATimeServer


@pytest.fixture
def live_site(db, monkeypatch):
    """A live server inside the test's transaction (rolled back afterwards, like any db test).

    pytest-django's ``live_server`` needs a transactional database whose flush
    would also wipe the rows Wagtail's migrations create (root page, locales,
    the publishing schedule) for every later test on a reused database.
    Sharing the test's connection avoids the flush; the server handles one
    request at a time, so the connection is never used by two threads at once.
    """
    connection = connections["default"]
    connection.inc_thread_sharing()
    # The server closes its connections after each request; this one must survive.
    monkeypatch.setattr(connection, "close", lambda: None)
    for port in LIVE_PORTS:
        thread = _SharedConnectionLiveServerThread(
            "127.0.0.1", StaticFilesHandler, connections_override={"default": connection}, port=port
        )
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if not thread.error:
            break
    else:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()
    connection.dec_thread_sharing()


@pytest.fixture
def browser_page(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls
    # made here are still synchronous. Set for this test only, never globally.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20_000)
        yield page
        context.close()
        browser.close()


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
