"""In headless Chromium: a learner asks an expert a question from the expert page, the expert answers with
an attachment, the learner sees the unread badge, reads the answer, downloads the file, and the expert
sees the read receipt.

The live server runs inside the test's transaction; between page visits the journey runs the outbox
itself (the batched notification), while no request is in flight.
"""

import re
import shutil
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from bookings.models import Message, Thread
from core.outbox import outbox_drain
from tests.browser import chromium_page, live_server_in_test_transaction
from tests.factories import PASSWORD

from ..conftest import pdf_upload

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

# This journey's servers use ports 8471-8479.
LIVE_PORTS = range(8471, 8480)


@pytest.fixture
def live_site(expert_index, monkeypatch):
    with live_server_in_test_transaction(LIVE_PORTS, monkeypatch) as url:
        yield url


@pytest.fixture
def browser_page(monkeypatch):
    assert shutil.which("chromium")
    with chromium_page(monkeypatch, timezone_id="Europe/Berlin", locale="en-US") as page:
        yield page


def sign_in(page, live_site, email, next_path):
    page.goto(f"{live_site}/accounts/login/?next={next_path}")
    page.locator("[name=login]").fill(email)
    page.locator("[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_load_state("networkidle")


def test_a_learner_and_an_expert_exchange_messages_with_an_attachment(ada, learner, live_site, browser_page, tmp_path):
    page = browser_page
    expert_page = ada.pages.first()

    # The learner asks a question from the expert's page, before any booking.
    sign_in(page, live_site, learner.email, expert_page.url)
    page.get_by_label("Your question").fill("Do you also teach window functions? <b>bold?</b>")
    page.get_by_role("button", name="Send question").click()
    page.wait_for_url(re.compile(r".*/messages/\d+/#?.*$"))
    expect(page.get_by_text("Your question is sent.")).to_be_visible()
    expect(page.get_by_text("Do you also teach window functions? <b>bold?</b>")).to_be_visible()
    page.wait_for_load_state("networkidle")
    thread = Thread.objects.get()

    # The expert sees the badge, opens the inbox and answers with a PDF.
    expert = page.context.browser.new_context(timezone_id="Europe/Berlin", locale="en-US").new_page()
    expert.set_default_timeout(20_000)
    sign_in(expert, live_site, ada.user.email, "/")
    expect(expert.locator(".messages-link .badge")).to_contain_text("1")
    expert.locator(".messages-link").click()
    expert.get_by_role("link", name=learner.full_name).click()
    expect(expert.get_by_text("Do you also teach window functions?")).to_be_visible()
    expert.get_by_label("Your message").fill("Yes! Notes attached: https://example.com/sql")
    upload = pdf_upload("window-functions.pdf")
    path = tmp_path / "window-functions.pdf"
    path.write_bytes(upload.read())
    expert.get_by_label("Attach a file (optional)").set_input_files(str(path))
    expert.get_by_role("button", name="Send", exact=True).click()
    expert.wait_for_url(re.compile(rf".*/messages/{thread.pk}/#latest$"))
    expect(expert.get_by_role("link", name=re.compile("window-functions.pdf"))).to_be_visible()
    link = expert.get_by_role("link", name="https://example.com/sql")
    assert "noopener" in link.get_attribute("rel")
    expert.wait_for_load_state("networkidle")

    # One notification for the learner once the batch window closes.
    outbox_drain(now=timezone.now() + timedelta(hours=1))
    assert [message.to for message in mail.outbox] == [[learner.email]]

    # The learner reads the answer and downloads the file; the expert then sees "Read".
    page.goto(f"{live_site}/dashboard/")
    expect(page.locator(".messages-link .badge")).to_contain_text("1")
    page.locator(".messages-link").click()
    page.get_by_role("link", name=ada.user.full_name).click()
    expect(page.get_by_text("Yes! Notes attached")).to_be_visible()
    file_link = page.get_by_role("link", name=re.compile("window-functions.pdf"))
    response = page.request.get(live_site + file_link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    page.get_by_label("Your message").fill("Thank you, booking now.")
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".messages-link .badge")).to_have_count(0)

    expert.reload()
    expect(expert.get_by_text("Thank you, booking now.")).to_be_visible()
    expect(expert.locator(".message__read").first).to_be_visible()
    expert.wait_for_load_state("networkidle")
    assert Message.objects.filter(thread=thread).count() == 3
