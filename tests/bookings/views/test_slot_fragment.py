"""The expert page's free times as a cached fragment (bookings.views.slot_fragment)."""

import re
from datetime import datetime, time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from bookings.services import booking_hold, weekly_hours_replace
from marketplace.models import SessionType
from tests.factories import UserFactory
from tests.marketplace.factories import make_expert

pytestmark = pytest.mark.django_db

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def ada(expert_index):
    profile = make_expert(expert_index, name="Ada Lovelace", prices={60: "80"})  # Europe/Berlin
    weekly_hours_replace(profile=profile, windows=[(day, time(9), time(17)) for day in range(7)])
    return profile


def fragment_url(profile, **params):
    url = reverse("slot_fragment", kwargs={"page_id": profile.pages.first().pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def starts(html):
    return re.findall(r'name="start" value="([^"]+)"', html)


def token_in(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def fragment_keys():
    return [key for key in cache._cache if ":slots:f:" in key]  # noqa: SLF001 - the local-memory cache's keys


def test_the_fragment_is_the_picker_with_the_visitors_own_token(client, ada):
    response = client.get(fragment_url(ada, week=1, browser_tz="Asia/Tokyo"), **FETCH)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store" and response["X-Robots-Tag"] == "noindex"
    html = response.content.decode()
    assert 'id="times"' in html and starts(html)
    assert "Times are shown in Asia/Tokyo" in html and "js/timezone.js" not in html
    assert "__slot-picker-csrf-token__" not in html
    assert token_in(html) and "csrftoken" in response.cookies
    # The zone form and week links go to the expert page: without the script they still work there.
    assert f'action="{ada.pages.first().url}#times"' in html


def test_the_second_request_is_served_from_the_cache_with_another_token(ada, django_assert_max_num_queries):
    url = fragment_url(ada, week=1, tz="Europe/Berlin")
    first = Client().get(url, **FETCH).content.decode()
    with django_assert_max_num_queries(4):  # the page with its locale and profile, the session types and packages
        second = Client().get(url, **FETCH).content.decode()
    assert starts(first) == starts(second)
    assert token_in(first) != token_in(second)
    assert len(fragment_keys()) == 1


def test_a_hold_invalidates_the_fragment(client, ada, django_capture_on_commit_callbacks):
    url = fragment_url(ada, week=1, tz="Europe/Berlin")
    before = starts(client.get(url, **FETCH).content.decode())
    assert before
    taken = datetime.fromisoformat(before[0])
    with django_capture_on_commit_callbacks(execute=True):
        booking_hold(learner=UserFactory(), session_type=SessionType.objects.get(profile=ada), start=taken)
    after = starts(client.get(url, **FETCH).content.decode())
    assert before[0] not in after and after


def test_a_change_of_hours_invalidates_the_fragment(client, ada):
    url = fragment_url(ada, week=1, tz="Europe/Berlin")
    assert starts(client.get(url, **FETCH).content.decode())
    weekly_hours_replace(profile=ada, windows=[])
    assert starts(client.get(url, **FETCH).content.decode()) == []


def test_a_signed_in_learner_keeps_their_own_zone_over_the_browsers(client, ada):
    client.force_login(UserFactory(time_zone="America/New_York"))
    html = client.get(fragment_url(ada, week=1, browser_tz="Asia/Tokyo"), **FETCH).content.decode()
    assert "Times are shown in America/New_York" in html


@pytest.mark.parametrize(
    "params",
    [{"tz": "Mars/Base"}, {"session": "45"}, {"week": "9999"}, {"tz": "%3Cscript%3E"}],
)
def test_wrong_values_fall_back_say_so_and_are_never_stored(client, ada, params):
    response = client.get(fragment_url(ada, **params), **FETCH)
    assert response.status_code == 200 and "alert" in response.content.decode()
    assert "<script>" not in response.content.decode()
    assert fragment_keys() == []


def test_junk_browser_zones_share_the_experts_zone_entry(client, ada):
    for junk in ("x", "Mars/Base", "a" * 300):
        client.get(fragment_url(ada, week=1, browser_tz=junk), **FETCH)
    assert len(fragment_keys()) == 1


def test_opened_without_the_script_it_redirects_to_the_page_with_the_picker(client, ada):
    page = ada.pages.first()
    response = client.get(fragment_url(ada))
    assert response.status_code == 302 and response["Location"] == f"{page.url}?week=0#times"
    response = client.get(fragment_url(ada, week=2, tz="Asia/Tokyo", evil="1"))
    assert response["Location"] == f"{page.url}?tz=Asia%2FTokyo&week=2#times"


def test_unknown_draft_or_posted_to_is_refused(client, ada, expert_index):
    assert client.get(reverse("slot_fragment", kwargs={"page_id": 999999}), **FETCH).status_code == 404
    draft = make_expert(expert_index, name="Draft Expert", prices={60: "50"}).pages.first()
    draft.unpublish()
    assert client.get(reverse("slot_fragment", kwargs={"page_id": draft.pk}), **FETCH).status_code == 404
    assert client.post(fragment_url(ada), **FETCH).status_code == 405


def test_an_expert_without_prices_gets_an_empty_fragment(client, expert_index):
    profile = make_expert(expert_index, name="No Prices")
    response = client.get(fragment_url(profile), **FETCH)
    assert response.status_code == 200 and response.content == b""


def test_a_post_from_the_cached_page_passes_the_csrf_check(ada, settings):
    """The page is stored without a token; the fragment gives each visitor their own, and it works."""
    settings.PAGE_CACHE_SECONDS = 300
    Client().get(ada.pages.first().url)  # someone else stored the page
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(ada.pages.first().url)
    assert page["X-Page-Cache"] == "hit" and "csrfmiddlewaretoken" not in page.content.decode()
    html = visitor.get(fragment_url(ada, week=1, tz="Europe/Berlin"), **FETCH).content.decode()
    form = re.search(r'<form method="post" action="([^"]+)"', html).group(1)
    data = {
        "csrfmiddlewaretoken": token_in(html),
        "session": "60",
        "tz": "Europe/Berlin",
        "week": "1",
        "start": starts(html)[0],
    }
    response = visitor.post(form, data)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]  # not 403
    stranger = Client(enforce_csrf_checks=True)
    assert stranger.post(form, data).status_code == 403
