"""In headless Chromium: a learner downloads their data, then erases their account and can no longer sign in.

The live server runs inside the test's transaction, where nothing commits, so the worker's
export task and the erasure job are run by the test itself between page visits (the job with a
clock moved past the grace period), while no request is in flight.
"""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import DataRequest, User
from accounts.privacy_services import privacy_erasures_run_due, privacy_export_run
from tests.browser import chromium_page, live_server_in_test_transaction
from tests.builders import onboarded
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

# This journey's servers use ports 8691-8699.
LIVE_PORTS = range(8691, 8700)


@pytest.fixture
def live_site(home_page, monkeypatch):
    with live_server_in_test_transaction(LIVE_PORTS, monkeypatch) as url:
        yield url


@pytest.fixture
def browser_page(monkeypatch):
    with chromium_page(monkeypatch, timezone_id="Europe/Berlin", locale="en-US", accept_downloads=True) as page:
        yield page


def sign_in(page, live_site, email):
    page.goto(f"{live_site}/accounts/login/?next=/accounts/privacy/")
    page.locator("[name=login]").fill(email)
    page.locator("[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_load_state("networkidle")


def test_a_learner_exports_then_erases_the_account_and_cannot_sign_in(
    learner, live_site, browser_page, tmp_path, django_capture_on_commit_callbacks
):
    page = browser_page
    onboarded(learner)
    sign_in(page, live_site, learner.email)
    expect(page.get_by_role("heading", name="Your data", exact=True)).to_be_visible()

    # Export: one button; the worker's task runs here; the emailed link downloads the ZIP.
    page.get_by_role("button", name="Prepare my data").click()
    expect(page.get_by_text("We are preparing your data")).to_be_visible()
    expect(page.get_by_role("button", name="Prepare my data")).to_be_disabled()
    page.wait_for_load_state("networkidle")
    export = DataRequest.objects.get(subject=learner, kind="export")
    with django_capture_on_commit_callbacks(execute=True):  # the worker's commit sends the email
        privacy_export_run(request_id=export.pk)
    link = re.search(r"http://testserver(/accounts/privacy/export/\S+/)", mail.outbox[-1].body).group(1)
    with page.expect_download() as download_info:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; document.body.append(a); a.click(); }",
            f"{live_site}{link}",
        )
    saved = tmp_path / "export.zip"
    download_info.value.save_as(saved)
    archive = zipfile.ZipFile(io.BytesIO(saved.read_bytes()))
    assert json.loads(archive.read("accounts.json"))["account"][0]["email"] == learner.email

    # Erasure: what happens is explained; the password and the box confirm it.
    page.goto(f"{live_site}/accounts/privacy/")
    page.get_by_role("button", name="Erase my account").click()
    expect(page.locator("#id_password_error")).to_have_text("This field is required.")
    expect(page.locator("#id_understood_error")).to_have_text("This field is required.")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label(re.compile("I understand that my account")).check()
    page.get_by_role("button", name="Erase my account").click()
    expect(page.get_by_text(re.compile("Your account will be erased on"))).to_have_count(2)
    expect(page.get_by_role("button", name="Cancel the erasure")).to_be_visible()
    page.wait_for_load_state("networkidle")

    # The grace period passes; the job erases the account.
    assert privacy_erasures_run_due(now=timezone.now() + timedelta(days=8)) == 1
    erased = User.objects.get(pk=learner.pk)
    assert erased.email == f"erased-{learner.pk}@invalid" and not erased.is_active

    # The open session is over, and signing in again is refused.
    page.goto(f"{live_site}/accounts/privacy/")
    page.wait_for_url(re.compile(r".*/accounts/login/.*"))
    page.locator("[name=login]").fill(learner.email)
    page.locator("[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" in page.url
    expect(page.get_by_text(re.compile("not correct|inactive", re.I)).first).to_be_visible()
