"""Template fragments cached per version of the page (core.page_cache.page_version, {% fragment_version %})."""

import re
from datetime import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from bookings.services import weekly_hours_replace
from core.money import Money
from marketplace.models import SessionType
from marketplace.services import session_type_update
from tests.factories import UserFactory, make_blog_post
from tests.marketplace.factories import make_expert

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fragments_on(settings):
    settings.PAGE_FRAGMENT_CACHE = True
    settings.PAGE_CACHE_SECONDS = 0  # the whole-page cache stays out of the way: every request renders


@pytest.fixture
def ada(expert_index):
    profile = make_expert(expert_index, name="Ada Lovelace", prices={60: "80"})
    weekly_hours_replace(profile=profile, windows=[(day, time(9), time(17)) for day in range(5)])
    return profile


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(captured.captured_queries)


def test_the_expert_page_renders_its_own_parts_once_per_version(client, ada):
    url = ada.pages.first().url
    first, cold = queries(client, url)
    second, warm = queries(client, url)
    assert warm < cold
    assert second.content == first.content


def test_warm_expert_pages_cost_the_same_queries_however_rich_the_profile(client, expert_index):
    plain = make_expert(expert_index, name="Plain Expert", prices={30: "20"})
    rich = make_expert(expert_index, name="Rich Expert", prices={30: "20", 60: "35", 90: "50"}, photo=True)
    counts = []
    for profile in (plain, rich):
        url = profile.pages.first().url
        client.get(url)
        counts.append(queries(client, url)[1])
    assert counts[0] == counts[1]


def test_a_price_change_reaches_the_fragment(client, ada, django_capture_on_commit_callbacks):
    url = ada.pages.first().url
    client.get(url)
    assert "80.00" in client.get(url).content.decode()
    session_type = SessionType.objects.get(profile=ada)
    with django_capture_on_commit_callbacks(execute=True):
        session_type_update(session_type=session_type, price=Money.from_major("95", "USD"), is_active=True)
    html = client.get(url).content.decode()
    assert "95.00" in html and "80.00" not in html


def test_a_published_edit_of_a_post_reaches_the_fragment(client, site_tree):
    post = make_blog_post(site_tree["blog"], n=1, title="First title")
    client.get(post.url)
    assert "First title" in client.get(post.url).content.decode()
    post.title = "Second title"
    post.save_revision().publish()
    html = client.get(post.url).content.decode()
    assert "Second title" in html and "First title" not in html


def test_signed_in_visitors_never_get_the_anonymous_header_and_never_leave_theirs(client, site_tree):
    anonymous = Client()
    anonymous.get("/")
    client.force_login(UserFactory(full_name="Sam Signed"))
    assert "Sam Signed" in client.get("/").content.decode()
    html = anonymous.get("/").content.decode()
    assert "Sam Signed" not in html and "Log in" in html


def test_each_language_has_its_own_header(client, site_tree):
    spanish = Locale.objects.get_or_create(language_code="es")[0]
    home_es = site_tree["home"].copy_for_translation(spanish)
    home_es.title = "Inicio"
    home_es.save_revision().publish()
    for _ in range(2):
        english = client.get("/").content.decode()
        spanish_html = client.get("/es/").content.decode()
    assert re.search(r'<summary [^>]*aria-label="[^"]+: EN"', english)
    assert re.search(r'<summary [^>]*aria-label="[^"]+: ES"', spanish_html)


def test_switched_off_every_request_renders(client, ada, settings):
    settings.PAGE_FRAGMENT_CACHE = False
    url = ada.pages.first().url
    client.get(url)
    _response, first = queries(client, url)
    _response, second = queries(client, url)
    assert first == second


def test_the_home_page_renders_its_blocks_once_per_version(client, site_tree, ada):
    first, cold = queries(client, "/")
    second, warm = queries(client, "/")
    assert warm < cold and second.content == first.content
