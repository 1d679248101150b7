"""The page cache's copy in each web process (core.page_cache): hits without the shared cache, purges.

Another process's purge reaches this process only through the shared cache's tokens, which this
process trusts for ``PAGE_CACHE_LOCAL_SECONDS``; the tests move the clock instead of sleeping.
"""

import pytest
from django.core.cache import cache
from django.test import Client

from core import page_cache
from core.page_cache import GENERATION_KEY, HIT_HEADER, page_cache_local_clear, page_cache_purge_all
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_with_process_copy(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.PAGE_CACHE_LOCAL_SECONDS = 1.0
    settings.PAGE_CACHE_LOCAL_ENTRIES = 300
    page_cache_local_clear()
    yield
    page_cache_local_clear()


@pytest.fixture
def clock(monkeypatch):
    """time.monotonic as page_cache sees it, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: now[0])
    return now


def test_a_hit_is_served_from_the_process_without_the_shared_cache(client, site_tree, django_assert_num_queries):
    first = client.get("/")
    assert first[HIT_HEADER] == "miss"
    assert client.get("/")[HIT_HEADER] == "hit"  # tokens and page now held by this process
    reads = []
    original = page_cache._cache

    def counting():
        reads.append(1)
        return original()

    page_cache._cache = counting
    try:
        with django_assert_num_queries(0):
            again = client.get("/")
    finally:
        page_cache._cache = original
    assert again[HIT_HEADER] == "hit" and again.content == first.content
    assert reads == []
    assert again["Content-Length"] == str(len(first.content))
    assert again["Cache-Control"] == first["Cache-Control"] and again["Vary"] == first["Vary"]


def test_a_purge_in_this_process_is_seen_at_once(client, site_tree):
    about = site_tree["about"]
    client.get(about.url), client.get(about.url)
    about.title = "About us, updated"
    about.save_revision().publish()
    response = client.get(about.url)
    assert response[HIT_HEADER] == "miss" and "About us, updated" in response.content.decode()
    client.get("/")
    page_cache_purge_all()
    assert client.get("/")[HIT_HEADER] == "miss"


def test_another_process_purge_is_seen_once_the_tokens_expire(client, site_tree, clock):
    client.get("/"), client.get("/")
    cache.delete(GENERATION_KEY)  # what page_cache_purge_all does from another web process
    clock[0] += 0.5
    assert client.get("/")[HIT_HEADER] == "hit"  # this process still trusts its tokens
    clock[0] += 0.6
    assert client.get("/")[HIT_HEADER] == "miss"  # past PAGE_CACHE_LOCAL_SECONDS: asked again


def test_a_page_lives_no_longer_in_the_process_than_in_the_shared_cache(client, site_tree, clock, settings):
    settings.PAGE_CACHE_LOCAL_SECONDS = 1000
    client.get("/"), client.get("/")
    clock[0] += 299
    assert client.get("/")[HIT_HEADER] == "hit"
    # The shared copy expires (PAGE_CACHE_SECONDS): the process copy goes with it.
    for key in [key for key in cache._cache if ":pc:p:" in key]:
        cache.delete(key.split(":", 2)[2])
    clock[0] += 2
    assert client.get("/")[HIT_HEADER] == "miss"


def test_the_process_copy_is_bounded(client, site_tree, settings):
    settings.PAGE_CACHE_LOCAL_ENTRIES = 2
    for url in ("/", site_tree["about"].url, site_tree["faq"].url, site_tree["blog"].url):
        client.get(url), client.get(url)
    assert len(page_cache._local_pages) == 2 and len(page_cache._local_tokens) == 2


def test_signed_in_visitors_and_messages_never_get_the_process_copy(client, site_tree):
    anonymous = Client()
    anonymous.get("/"), anonymous.get("/")
    client.force_login(UserFactory(full_name="Sam Signed"))
    response = client.get("/")
    assert HIT_HEADER not in response and "Sam Signed" in response.content.decode()
    anonymous.cookies["messages"] = "anything"
    assert HIT_HEADER not in anonymous.get("/")


def test_switched_off_nothing_is_kept_in_the_process(client, site_tree, settings):
    settings.PAGE_CACHE_LOCAL_SECONDS = 0
    client.get("/"), client.get("/")
    assert client.get("/")[HIT_HEADER] == "hit"  # from the shared cache
    assert not page_cache._local_pages and not page_cache._local_tokens
