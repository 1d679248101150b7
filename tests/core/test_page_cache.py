"""The anonymous full-page cache (core.page_cache): what is stored, for whom, under which key, and its purge."""

import json
import re
from datetime import time

import pytest
import responses
from django.core.cache import cache
from django.test import Client
from wagtail.models import Locale

from bookings.services import weekly_hours_replace
from core.money import Money
from core.page_cache import HIT_HEADER, LocalPageCacheBackend, page_cache_purge_all
from marketplace.models import SessionType
from marketplace.services import session_type_update
from tests.factories import UserFactory, make_blog_post
from tests.marketplace.factories import make_expert

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.PAGE_CACHE_BROWSER_SECONDS = 60
    settings.PAGE_CACHE_STALE_SECONDS = 30
    settings.PAGE_CACHE_MAX_VARIANTS = 3


@pytest.fixture
def ada(expert_index):
    profile = make_expert(expert_index, name="Ada Lovelace", prices={60: "80"})
    weekly_hours_replace(profile=profile, windows=[(day, time(9), time(17)) for day in range(5)])
    return profile


def page_url(profile):
    return profile.pages.first().url


def twice(client, url, **extra):
    return client.get(url, **extra), client.get(url, **extra)


def test_a_second_anonymous_request_is_served_from_the_cache_without_a_query(
    client, site_tree, django_assert_num_queries
):
    first = client.get("/")
    assert first.status_code == 200 and first[HIT_HEADER] == "miss"
    control = first["Cache-Control"]
    for part in ("public", "max-age=60", "s-maxage=300", "stale-while-revalidate=30"):
        assert part in control
    assert "Cookie" in first["Vary"] and "Accept-Language" not in first["Vary"]
    assert not first.cookies
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second.status_code == 200 and second[HIT_HEADER] == "hit"
    assert second.content == first.content
    assert second["Cache-Control"] == control and second["Content-Type"] == first["Content-Type"]
    # Security headers travel with the stored page.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["Content-Length"] == str(len(first.content))


def test_every_public_page_type_is_cached(client, site_tree, ada):
    post = make_blog_post(site_tree["blog"], n=1)
    urls = [
        "/",
        site_tree["about"].url,
        site_tree["faq"].url,
        site_tree["blog"].url,
        post.url,
        "/experts/",
        page_url(ada),
        "/search/?q=ada",
        site_tree["blog"].url + "?page=1",
        page_url(ada) + "?reviews=1",
    ]
    for url in urls:
        first, second = twice(client, url)
        assert first.status_code == 200, url
        assert (first[HIT_HEADER], second[HIT_HEADER]) == ("miss", "hit"), url


def test_the_expert_page_holds_no_free_time_and_no_csrf_token(client, ada):
    first, second = twice(client, page_url(ada))
    html = second.content.decode()
    assert second[HIT_HEADER] == "hit"
    assert "csrfmiddlewaretoken" not in html and "slot-button" not in html
    assert 'data-slot-fragment="/experts/book/' in html and "js/slot-picker.js" in html
    assert "?week=0#times" in html  # the no-JavaScript way to the free times


def test_signed_in_visitors_are_never_served_or_stored(client, site_tree):
    anonymous = Client()
    anonymous.get("/")  # stored for anonymous visitors
    client.force_login(UserFactory(full_name="Sam Signed"))
    for _ in range(2):
        response = client.get("/")
        assert HIT_HEADER not in response
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert anonymous.get("/")[HIT_HEADER] == "hit"


def test_a_pending_message_skips_the_cache(client, site_tree):
    client.get("/")
    client.cookies["messages"] = "anything"
    response = client.get("/")
    assert HIT_HEADER not in response and "no-store" in response["Cache-Control"]


def test_pages_with_a_post_form_are_never_stored(client, site_tree):
    first, second = twice(client, site_tree["contact"].url)
    assert first.status_code == 200 and "csrfmiddlewaretoken" in first.content.decode()
    assert HIT_HEADER not in first and HIT_HEADER not in second
    assert "no-store" in second["Cache-Control"]


def test_a_form_error_is_never_stored_and_a_post_never_reads_the_cache(client, site_tree):
    url = site_tree["contact"].url
    csrf_client = Client(enforce_csrf_checks=False)
    response = csrf_client.post(url, {"your_name": "", "email": "not-an-email", "message": ""})
    assert response.status_code in (200, 400) and HIT_HEADER not in response
    assert "no-store" in response["Cache-Control"]
    assert HIT_HEADER not in client.get(url)


def test_a_browse_filter_error_is_not_stored(client, ada):
    first, second = twice(client, "/experts/?price_min=abc")
    assert first.status_code == 200
    assert HIT_HEADER not in first and HIT_HEADER not in second


@pytest.mark.parametrize(
    "query",
    ["?junk=1", "?page=1&page=2", "?q=" + "x" * 200, "?csrfmiddlewaretoken=abc", "?week=0", "?session=60"],
)
def test_unknown_repeated_or_long_parameters_are_rendered_but_not_stored(client, site_tree, query):
    first, second = twice(client, "/" + query)
    assert first.status_code == 200
    assert HIT_HEADER not in first and HIT_HEADER not in second


def test_query_variants_per_path_are_bounded(client, site_tree):
    url = site_tree["blog"].url
    stored = [client.get(f"{url}?page={n}").get(HIT_HEADER) for n in range(1, 8)]
    assert stored == ["miss", "miss", "miss", None, None, None, None]  # PAGE_CACHE_MAX_VARIANTS = 3
    assert client.get(f"{url}?page=2")[HIT_HEADER] == "hit"
    assert client.get(url)[HIT_HEADER] == "miss"  # the plain path never counts against the budget


def test_parameter_order_and_tracking_parameters_share_one_entry(client, site_tree):
    url = site_tree["blog"].url
    assert client.get(f"{url}?tag=a&page=1")[HIT_HEADER] == "miss"
    assert client.get(f"{url}?page=1&tag=a")[HIT_HEADER] == "hit"
    assert client.get(f"{url}?page=1&tag=a&utm_source=news&fbclid=x")[HIT_HEADER] == "hit"


def test_a_tracking_parameter_never_stores_its_render_as_the_plain_page(client, ada):
    # Browse marks any query string noindex: that render must not become the canonical page.
    first = client.get("/experts/?utm_source=mail")
    assert first.status_code == 200 and HIT_HEADER not in first
    plain = client.get("/experts/")
    assert plain[HIT_HEADER] == "miss"


def test_languages_never_mix(client, site_tree):
    spanish = Locale.objects.get_or_create(language_code="es")[0]
    home_es = site_tree["home"].copy_for_translation(spanish)
    home_es.title = "Inicio"
    home_es.save_revision().publish()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="es")
    assert english[HIT_HEADER] == "miss" and '<html lang="en"' in english.content.decode()
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de")[HIT_HEADER] == "hit"
    first, second = twice(client, "/es/")
    assert first.status_code == 200 and (first[HIT_HEADER], second[HIT_HEADER]) == ("miss", "hit")
    assert '<html lang="es"' in second.content.decode()
    assert '<html lang="en"' in client.get("/").content.decode()


def test_publishing_unpublishing_and_moving_purge(client, site_tree):
    about = site_tree["about"]
    url = about.url
    twice(client, url)
    about.title = "About us, updated"
    about.save_revision().publish()
    response = client.get(url)
    assert response[HIT_HEADER] == "miss" and "About us, updated" in response.content.decode()

    client.get(url)
    about.unpublish()
    assert client.get(url).status_code == 404

    faq = site_tree["faq"]
    old = faq.url
    twice(client, old)
    faq.move(site_tree["about"], pos="last-child")
    assert client.get(old).status_code == 301  # Wagtail's redirect to the new place, not the stored page


def test_a_publish_purges_the_parent_listing(client, site_tree):
    blog = site_tree["blog"]
    twice(client, blog.url)
    make_blog_post(blog, n=2, title="A brand new post")
    response = client.get(blog.url)
    assert response[HIT_HEADER] == "miss" and "A brand new post" in response.content.decode()


def test_a_price_change_purges_the_expert_page(client, ada, django_capture_on_commit_callbacks):
    url = page_url(ada)
    assert "80.00" in client.get(url).content.decode()
    assert client.get(url)[HIT_HEADER] == "hit"
    session_type = SessionType.objects.get(profile=ada)
    with django_capture_on_commit_callbacks(execute=True):
        session_type_update(session_type=session_type, price=Money.from_major("95", "USD"), is_active=True)
    response = client.get(url)
    assert response[HIT_HEADER] == "miss"
    assert "95.00" in response.content.decode() and "80.00" not in response.content.decode()


def test_the_local_backend_purges_every_variant_of_a_url(client, site_tree):
    url = site_tree["blog"].url
    client.get(url), client.get(url + "?page=1")
    LocalPageCacheBackend({}).purge_batch([f"http://localhost{url}"])
    assert client.get(url)[HIT_HEADER] == "miss" and client.get(url + "?page=1")[HIT_HEADER] == "miss"


def test_site_settings_purge_everything(client, site_tree):
    client.get("/")
    page_cache_purge_all()
    assert client.get("/")[HIT_HEADER] == "miss"


def test_turned_off_nothing_is_stored(client, site_tree, settings):
    settings.PAGE_CACHE_SECONDS = 0
    first, second = twice(client, "/")
    assert HIT_HEADER not in first and HIT_HEADER not in second
    assert not [key for key in getattr(cache, "_cache", {}) if ":pc:p:" in key]


def test_head_requests_get_the_stored_headers_without_a_body(client, site_tree):
    client.get("/")
    response = client.head("/")
    assert response[HIT_HEADER] == "hit" and response.content == b""


def test_a_bad_host_is_not_an_error(client, site_tree):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400


def test_the_page_cache_never_keys_on_the_raw_query(client, site_tree):
    # Only the stored variant count grows; keys are hashes of a bounded input.
    client.get(site_tree["blog"].url + "?tag=" + "a" * 100)
    keys = [key for key in getattr(cache, "_cache", {}) if ":pc:p:" in key]
    assert keys and all(re.fullmatch(r".*pc:p:[0-9a-f]{64}", key) for key in keys)


@responses.activate
def test_a_price_change_purges_the_expert_pages_at_cloudflare_too(
    client, ada, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {
        "local": {"BACKEND": "core.page_cache.LocalPageCacheBackend"},
        "cloudflare": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "ZONEID": "zone123",
            "BEARER_TOKEN": "token-abc",
        },
    }
    purge = responses.post(
        "https://api.cloudflare.com/client/v4/zones/zone123/purge_cache",
        json={"success": True, "errors": [], "messages": [], "result": {"id": "zone123"}},
    )
    client.get(page_url(ada))
    with django_capture_on_commit_callbacks(execute=True):
        session_type_update(
            session_type=SessionType.objects.get(profile=ada), price=Money.from_major("90", "USD"), is_active=True
        )
    # The price and the profile's "from" price are two saves: the same URLs may be purged twice.
    assert purge.call_count >= 1
    for call in responses.calls:
        sent = json.loads(call.request.body)
        assert sorted(sent["files"]) == ["http://localhost/experts/", "http://localhost/experts/ada-lovelace/"]
        assert call.request.headers["Authorization"] == "Bearer token-abc"
    assert client.get(page_url(ada))[HIT_HEADER] == "miss"  # the local backend purged the same URLs


def test_the_cdn_backends_come_from_the_environment(monkeypatch):
    import importlib

    import taptime.settings.page_cache as base

    monkeypatch.setenv("CLOUDFLARE_ZONE_ID", "zone123")
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "token-abc")
    monkeypatch.setenv("CLOUDFRONT_DISTRIBUTION_ID", "E123")
    try:
        configured = importlib.reload(base).WAGTAILFRONTENDCACHE
        assert configured["cloudflare"]["ZONEID"] == "zone123" and configured["cloudflare"]["BEARER_TOKEN"]
        assert configured["cloudfront"]["DISTRIBUTION_ID"] == "E123"
        assert configured["local"]["BACKEND"] == "core.page_cache.LocalPageCacheBackend"
    finally:
        monkeypatch.delenv("CLOUDFLARE_ZONE_ID")
        monkeypatch.delenv("CLOUDFLARE_API_TOKEN")
        monkeypatch.delenv("CLOUDFRONT_DISTRIBUTION_ID")
        assert set(importlib.reload(base).WAGTAILFRONTENDCACHE) == {"local"}
