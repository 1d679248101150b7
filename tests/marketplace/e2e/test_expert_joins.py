"""In headless Chromium, the issue's whole path from a visitor to a booked expert, as one journey:

a visitor signs up and applies through every step (a PNG identity document and a
PDF certificate), a reviewer claims the application in the Wagtail admin, checks
the documents and requests changes, the applicant answers, the reviewer approves,
the new expert sets weekly hours on the "almost live" checklist and publishes,
and a learner finds the new expert in the catalogue and books and pays a session.

The live server runs inside the test's transaction, which never commits, so
work queued "on commit" for the worker does not run by itself: the journey does
the worker's two jobs itself where the product relies on them (draining the
outbox to read the emails, refreshing the next free time after the hours are saved).
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from bookings.models import Booking
from bookings.services.next_free import expert_next_available_refresh
from core.outbox import outbox_drain
from marketplace.models import ExpertApplication, ExpertPage, ExpertProfile
from tests.browser import chromium_page, live_server_in_test_transaction
from tests.factories import PASSWORD, UserFactory
from tests.marketplace.application_factories import pdf_bytes
from tests.marketplace.factories import make_category
from tests.marketplace.review_builders import jpeg_bytes, make_reviewer, png_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

# This journey's servers use ports 8121-8129.
LIVE_PORTS = range(8121, 8130)
APPLICANT = "nadia@example.com"


@pytest.fixture
def live_site(expert_index, monkeypatch, stripe_server):
    with live_server_in_test_transaction(LIVE_PORTS, monkeypatch) as url:
        yield url


@pytest.fixture
def browser_page(monkeypatch):
    with chromium_page(monkeypatch, timezone_id="Europe/Berlin", locale="en-US") as page:
        yield page


def sign_in(page, email):
    page.locator("[name=login]").fill(email)
    page.locator("[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()


def other_browser(page, live_site):
    """A second person at their own browser (a context of its own: no shared cookies)."""
    context = page.context.browser.new_context(timezone_id="Europe/Berlin", locale="en-US")
    other = context.new_page()
    other.set_default_timeout(20_000)
    return other


def settle(*pages):
    """Wait until no browser has a request in flight: the live server shares the test's database
    connection, so the test may only use the ORM while the server is idle (images load after "load")."""
    for page in pages:
        page.wait_for_load_state("networkidle")


def save_and_continue(page):
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()


def apply_through_every_step(page, live_site):
    """Sign up from /join/apply/, confirm the address, and fill in every step."""
    page.goto(f"{live_site}/join/apply/")
    page.get_by_role("link", name="Create an account").click()
    page.locator("[name=full_name]").fill("Nadia Nakamura")
    page.locator("[name=email]").fill(APPLICANT)
    page.locator("[name=password1]").fill(PASSWORD)
    page.locator("[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign up", re.I)).click()
    page.wait_for_load_state()
    confirm = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[-1].body).group(1)
    page.goto(live_site + confirm)
    page.get_by_role("button", name=re.compile("confirm", re.I)).click()
    page.wait_for_load_state()
    # The choice survives the sign-up: the application continues where it began.
    if "/join/apply/" not in page.url:
        page.goto(f"{live_site}/join/apply/")
    page.wait_for_url(re.compile(r".*/join/apply/about/$"))

    page.locator("[name=headline]").fill("Data engineer who makes SQL click")
    page.locator("[name=bio]").fill("I have built data pipelines for twelve years and teach SQL to analysts. " * 5)
    page.locator("[name=photo]").set_input_files(
        {"name": "me.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(size=(400, 400))}
    )
    page.get_by_label("English").check()
    page.locator("[name=time_zone]").select_option("Europe/Berlin")
    page.locator("[name=links]").fill("https://www.linkedin.com/in/nadia")
    save_and_continue(page)

    page.wait_for_url(re.compile(r".*/join/apply/expertise/$"))
    page.get_by_label("SQL").check()
    page.locator("[name=skills]").fill("SQL, dbt, Postgres")
    page.locator("[name=years_experience]").fill("12")
    save_and_continue(page)

    page.wait_for_url(re.compile(r".*/join/apply/offer/$"))
    page.locator("[name=currency]").select_option("EUR")
    page.locator("[name=price_30]").fill("45")
    page.locator("[name=price_60]").fill("80")
    page.locator("[name=package_1_sessions]").fill("5")
    page.locator("[name=package_1_minutes]").select_option("60")
    page.locator("[name=package_1_price]").fill("350")
    save_and_continue(page)

    page.wait_for_url(re.compile(r".*/join/apply/credentials/$"))
    for kind, title, upload in (
        ("identity", "Passport", {"name": "passport.png", "mimeType": "image/png", "buffer": png_bytes()}),
        (
            "certificate",
            "dbt Analytics Engineer",
            {"name": "cert.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()},
        ),
    ):
        page.locator("[name=kind]").select_option(kind)
        page.locator("[name=title]").fill(title)
        page.locator("[name=file]").set_input_files(upload)
        page.get_by_role("button", name="Upload").click()
        page.wait_for_load_state()
        expect(page.get_by_text(title).first).to_be_visible()
    save_and_continue(page)

    page.wait_for_url(re.compile(r".*/join/apply/review/$"))
    page.get_by_role("button", name="Submit application").click()
    page.wait_for_url(re.compile(r".*/join/application/$"))


def test_a_visitor_becomes_a_booked_expert(live_site, browser_page):
    make_category("SQL", "sql-data", parent=make_category("Data", "data"))
    reviewer = make_reviewer(full_name="Rita Reviewer", email="rita@example.com")
    learner = UserFactory(email="grace@example.com", full_name="Grace Hopper")
    page = browser_page

    # 1. The visitor applies.
    apply_through_every_step(page, live_site)
    settle(page)
    application = ExpertApplication.objects.get(user__email=APPLICANT)
    assert application.status == ExpertApplication.Status.SUBMITTED
    document_ids = list(application.documents.values_list("pk", flat=True))
    assert len(document_ids) == 2

    # 2. The reviewer finds it in the queue, checks both documents and asks for a change.
    staff = other_browser(page, live_site)
    staff.goto(f"{live_site}/accounts/login/?next=/admin/applications/")
    sign_in(staff, reviewer.email)
    staff.wait_for_url(re.compile(r".*/admin/applications/$"))
    expect(staff.get_by_role("link", name=re.compile(r"^Applications \(1\)"))).to_be_visible()
    staff.get_by_role("link", name="Nadia Nakamura").click()
    staff.get_by_role("button", name="Claim for review").click()
    identity_image = staff.get_by_role("img", name="Passport")
    expect(identity_image).to_be_visible()
    # The image really renders (it loads lazily: bring it into view, then wait for its pixels).
    identity_image.scroll_into_view_if_needed()
    staff.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=identity_image.element_handle())
    expect(staff.get_by_role("link", name="Download the PDF")).to_be_visible()
    for document_id in document_ids:
        staff.locator(f"#document-{document_id}").get_by_role("button", name="Mark Verified").click()
        expect(staff.locator(f"#document-{document_id}")).to_contain_text("Check: Verified")
    staff.get_by_label("What should the applicant change?").fill("Please add a sentence on how you teach beginners.")
    staff.get_by_role("button", name="Request changes").click()
    expect(staff.get_by_text("Changes requested. The applicant was emailed your message.")).to_be_visible()

    # 3. The applicant reads the message (and its email) and answers.
    settle(page, staff)
    outbox_drain()
    assert any("change" in message.subject.lower() for message in mail.outbox if APPLICANT in message.to)
    page.goto(f"{live_site}/join/application/")
    expect(page.get_by_text("Please add a sentence on how you teach beginners.").first).to_be_visible()
    page.get_by_label("Your answer to the reviewer").fill("Added: I start beginners with their own spreadsheets.")
    page.get_by_role("button", name="Send answer and resubmit").click()
    page.wait_for_load_state()

    # 4. The reviewer resumes the review and approves.
    staff.reload()
    expect(staff.get_by_text("I start beginners with their own spreadsheets.").first).to_be_visible()
    staff.get_by_role("button", name="Resume the review").click()
    staff.get_by_role("button", name="Approve").click()
    expect(staff.get_by_text("Approved. The expert's page waits in moderation")).to_be_visible()
    settle(page, staff)
    profile = ExpertProfile.objects.get(user__email=APPLICANT)
    assert not ExpertPage.objects.get(profile=profile).live

    # 5. The new expert lands on the checklist, sets hours and publishes.
    outbox_drain()
    page.goto(f"{live_site}/expert/")
    expect(page.get_by_role("heading", name="Almost live")).to_be_visible()
    expect(page.get_by_role("button", name="Publish my page")).to_have_count(0)
    page.get_by_role("link", name="Set your weekly hours").click()
    page.wait_for_url(re.compile(r".*/expert/availability/$"))
    # Every day 08:00-20:00; the form shows two empty rows at a time.
    for first in range(0, 7, 2):
        for row in range(first, min(first + 2, 7)):
            page.locator(f"[name=weekly-{row}-weekday]").select_option(str(row))
            page.locator(f"[name=weekly-{row}-start]").fill("08:00")
            page.locator(f"[name=weekly-{row}-end]").fill("20:00")
        page.get_by_role("button", name="Save weekly hours").click()
        page.wait_for_load_state()
    settle(page, staff)
    expert_next_available_refresh(profile=ExpertProfile.objects.get(pk=profile.pk))  # the worker's job
    page.goto(f"{live_site}/expert/")
    page.get_by_role("link", name="Preview your page").first.click()
    expect(page.get_by_role("heading", level=1, name="Nadia Nakamura")).to_be_visible()
    page.goto(f"{live_site}/expert/")
    page.get_by_role("button", name="Publish my page").click()
    expect(page.get_by_text("Your page is live.")).to_be_visible()
    settle(page, staff)
    expert_page = ExpertPage.objects.get(profile=profile)
    assert expert_page.live

    # 6. A learner finds the new expert in the catalogue and books and pays.
    learner_page = other_browser(page, live_site)
    learner_page.goto(f"{live_site}/experts/")
    learner_page.get_by_role("link", name=re.compile("Nadia Nakamura")).first.click()
    learner_page.wait_for_url(re.compile(rf".*{re.escape(expert_page.url)}$"))
    expect(learner_page.get_by_text("Identity checked")).to_be_visible()
    expect(learner_page.get_by_text("Credential checked: dbt Analytics Engineer")).to_be_visible()
    learner_page.get_by_role("button", name=re.compile(r"^Book ")).first.click()
    learner_page.wait_for_url(re.compile(r".*/accounts/login/.*"))
    sign_in(learner_page, learner.email)
    learner_page.wait_for_url(re.compile(r".*#times$"))
    learner_page.get_by_role("button", name=re.compile(r"^Book ")).first.click()
    learner_page.wait_for_url(re.compile(r".*/bookings/\d+/review/$"))
    learner_page.get_by_label("Test card: success").check()
    learner_page.get_by_role("button", name=re.compile(r"^Pay ")).click()
    learner_page.wait_for_url(re.compile(r".*/bookings/\d+/$"))
    expect(learner_page.get_by_role("heading", level=1, name="Your session is booked")).to_be_visible()
    settle(page, staff, learner_page)
    booking = Booking.objects.get(learner=learner)
    assert booking.status == Booking.Status.CONFIRMED and booking.expert.email == APPLICANT
