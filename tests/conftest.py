import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import stripe
from django.core.cache import cache

from .factories import ExpertUserFactory, StaffUserFactory, UserFactory, publish_expert_index, publish_home_page
from .marketplace.factories import make_ada


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters live in the cache; every test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sms_outbox():
    """The texts the console SMS adapter "sent" during the test (``{"to", "body"}``, oldest first)."""
    from notifications.sms import sent_messages

    sent_messages.clear()
    yield sent_messages
    sent_messages.clear()


@pytest.fixture
def learner(db):
    return UserFactory(email="learner@example.com", full_name="Lena Learner")


@pytest.fixture
def expert_user(db):
    return ExpertUserFactory(email="expert@example.com", full_name="Ezra Expert")


@pytest.fixture
def staff_user(db):
    return StaffUserFactory(email="staff@example.com", full_name="Sam Staff")


@pytest.fixture
def home_page(db):
    return publish_home_page()


@pytest.fixture
def site_tree(home_page):
    """A small public site: standard, FAQ, form and blog pages under the home page."""
    from blog.models import BlogIndexPage
    from cms_pages.models import FaqPage, FormField, FormPage, StandardPage

    def publish(parent, page):
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    about = publish(home_page, StandardPage(title="About TapTime", slug="about", intro="Who we are."))
    faq = publish(
        home_page,
        FaqPage(
            title="FAQ",
            slug="faq",
            groups=[
                {
                    "type": "group",
                    "value": {
                        "topic": "Booking",
                        "questions": [
                            {"question": "How do I book?", "answer": "<p>Pick a slot and pay.</p>"},
                            {"question": "Can I reschedule?", "answer": "<p>Yes, <b>up to 24 h</b> before.</p>"},
                        ],
                    },
                }
            ],
        ),
    )
    contact = FormPage(
        title="Contact us",
        slug="contact",
        to_address="team@taptime.example",
        from_address="no-reply@taptime.example",
        subject="New contact",
        thank_you_title="Thanks a lot!",
    )
    contact.form_fields.add(FormField(sort_order=0, label="Your name", field_type="singleline", required=True))
    contact.form_fields.add(FormField(sort_order=1, label="Email", field_type="email", required=True))
    contact.form_fields.add(FormField(sort_order=2, label="Message", field_type="multiline", required=True))
    publish(home_page, contact)
    blog = publish(home_page, BlogIndexPage(title="Blog", slug="blog", intro="Our blog."))
    return {"home": home_page, "about": about, "faq": faq, "contact": contact, "blog": blog}


# A real Stripe-compatible server on loopback for payment tests. localstripe is
# GPL-licensed: it runs as its own process (through scripts/localstripe_demo.py, which
# gives it a state file of its own) and is never imported.
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def localstripe_url(tmp_path_factory):
    port = _free_port()
    launcher = Path(__file__).resolve().parent.parent / "scripts" / "localstripe_demo.py"
    state = tmp_path_factory.mktemp("localstripe") / "state.pickle"
    process = subprocess.Popen(
        [sys.executable, str(launcher), "--port", str(port), "--state", str(state), "--from-scratch"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(f"{url}/v1/customers", auth=("sk_test_TapTimeLocalOnly0000000000000000", ""), timeout=1)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("localstripe did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def stripe_server(localstripe_url, settings):
    """Point the SDK (and dj-stripe) at the loopback server for one test."""
    previous = stripe.api_base
    settings.STRIPE_API_HOST = localstripe_url
    stripe.api_base = localstripe_url
    yield localstripe_url
    stripe.api_base = previous


@pytest.fixture
def expert_index(home_page):
    """The published "Experts" index under the home page (marketplace and billing tests)."""
    return publish_expert_index(home_page)


@pytest.fixture
def ada(expert_index):
    """An expert with a public page, a 60-minute session at EUR 80 and Monday-morning hours (Berlin)."""
    return make_ada(expert_index)
