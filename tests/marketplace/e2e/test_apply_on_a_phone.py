"""In headless Chromium on a phone-sized screen with JavaScript switched off: a visitor signs in from the
account step and applies through every step with a PDF and an image, then sees the status page."""

import pytest
from playwright.sync_api import expect

from marketplace.models import ExpertApplication
from tests.browser import chromium_page, live_server_in_test_transaction
from tests.factories import PASSWORD, UserFactory
from tests.marketplace.application_factories import pdf_bytes
from tests.marketplace.factories import image_bytes, make_category

pytestmark = pytest.mark.e2e

# This journey's servers use the first free port of 8121-8125.
LIVE_PORTS = range(8121, 8126)
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def live_site(db, monkeypatch):
    with live_server_in_test_transaction(LIVE_PORTS, monkeypatch) as url:
        yield url


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_visitor_applies_on_a_phone_without_javascript(live_site, monkeypatch, tmp_path):
    top = make_category("Data and AI", "data-and-ai")
    make_category("Data engineering", "data-engineering", parent=top)
    applicant = UserFactory(email="nia@example.com", full_name="Nia Applicant", time_zone="Europe/Madrid")
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(pdf_bytes())
    scan = tmp_path / "passport.jpg"
    scan.write_bytes(image_bytes(size=(900, 600)))
    photo = tmp_path / "me.jpg"
    photo.write_bytes(image_bytes(size=(400, 400), color="#884422"))

    with chromium_page(monkeypatch, java_script_enabled=False, **PHONE) as page:
        page.goto(f"{live_site}/join/")  # no page in this test's site: the CTA path is tested in the views
        page.goto(f"{live_site}/join/apply/")
        expect(page.get_by_role("heading", name="Apply to teach on TapTime")).to_be_visible()
        page.get_by_role("link", name="Sign in").click()
        page.get_by_label("Email").fill(applicant.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign In", exact=True).click()

        # Step 2: about you (the choice of signing in survived: we are back in the application).
        expect(page.get_by_role("heading", name="About you")).to_be_visible()
        assert page.url.endswith("/join/apply/about/")
        page.get_by_label("Headline").fill("Data engineer who explains pipelines clearly")
        page.get_by_label("Bio").fill("I build data pipelines and teach teams to own them. " * 8)
        page.get_by_label("Photo").set_input_files(str(photo))
        page.get_by_role("checkbox", name="English").check()
        page.get_by_label("Links").fill("https://example.com/nia")
        page.get_by_role("button", name="Save and continue").click()

        # Step 3: expertise.
        expect(page.get_by_role("heading", name="Your expertise")).to_be_visible()
        page.get_by_role("checkbox", name="Data engineering").check()
        page.get_by_label("Skills").fill("dbt, Airflow")
        page.get_by_label("Years of experience").fill("9")
        page.get_by_role("button", name="Save and continue").click()

        # Step 4: the offer, then back and forward again: the answers are kept.
        expect(page.get_by_role("heading", name="Your offer")).to_be_visible()
        page.get_by_label("Currency").select_option("EUR")
        page.get_by_label("30-minute session").fill("45")
        page.get_by_label("60-minute session").fill("80")
        page.get_by_label("Package 1: sessions").fill("5")
        page.get_by_label("Package 1: length").select_option("60")
        page.get_by_label("Package 1: total price").fill("350")
        page.get_by_role("button", name="Save and go back").click()
        expect(page.get_by_role("heading", name="Your expertise")).to_be_visible()
        page.get_by_role("button", name="Save and continue").click()
        expect(page.get_by_label("60-minute session")).to_have_value("80.00")
        page.get_by_role("button", name="Save and continue").click()

        # Step 5: credentials, a PDF and an image.
        expect(page.get_by_role("heading", name="Credentials", exact=True)).to_be_visible()
        for kind, title, path in [("certificate", "Google Data Engineer", certificate), ("identity", "Passport", scan)]:
            page.get_by_label("Kind of document").select_option(kind)
            page.get_by_label("Title").fill(title)
            page.get_by_label("File").set_input_files(str(path))
            page.get_by_role("button", name="Upload").click()
            expect(page.get_by_role("link", name=title)).to_be_visible()
        assert fits_the_screen(page)
        page.get_by_role("button", name="Save and continue").click()

        # Step 6: review and submit.
        expect(page.get_by_role("heading", name="Review and submit")).to_be_visible()
        expect(page.get_by_text("Data engineer who explains pipelines clearly")).to_be_visible()
        assert fits_the_screen(page)
        page.get_by_role("button", name="Submit application").click()

        expect(page.get_by_role("heading", name="Status: Submitted")).to_be_visible()
        assert page.url.endswith("/join/application/")
        assert fits_the_screen(page)

    application = ExpertApplication.objects.get(user=applicant)
    assert application.status == ExpertApplication.Status.SUBMITTED
    assert application.time_zone == "Europe/Madrid"
    assert sorted(application.documents.values_list("content_type", flat=True)) == ["application/pdf", "image/jpeg"]
    assert application.offer["packages"] == [{"sessions": 5, "minutes": 60, "price": "350.00"}]
