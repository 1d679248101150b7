"""Site search: results over any page type, promotions, empty states, hostile input."""

import pytest
from bs4 import BeautifulSoup
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from tests.factories import make_blog_post


def result_titles(response):
    return [a.get_text(strip=True) for a in BeautifulSoup(response.content, "html.parser").select(".result__title a")]


@pytest.mark.django_db
def test_search_finds_pages_and_posts_with_title_description_and_url(client, site_tree):
    make_blog_post(site_tree["blog"], n=1, title="Negotiation basics", search_description="Ask for what you are worth.")
    response = client.get("/search/?q=negotiation")
    assert response.status_code == 200
    assert result_titles(response) == ["Negotiation basics"]
    body = response.content.decode()
    assert "Ask for what you are worth." in body and "/blog/post-1/" in body
    assert 'name="robots" content="noindex, follow"' in body


@pytest.mark.django_db
def test_promoted_results_come_first_and_are_not_repeated(client, site_tree):
    make_blog_post(site_tree["blog"], n=1, title="Pricing your time")
    query = Query.get("pricing")
    SearchPromotion.objects.create(query=query, page=site_tree["faq"], sort_order=0, description="Prices explained")
    SearchPromotion.objects.create(
        query=query, external_link_url="https://example.com/guide", external_link_text="Pricing guide", sort_order=1
    )
    response = client.get("/search/?q=Pricing")
    titles = result_titles(response)
    assert titles[:2] == ["FAQ", "Pricing guide"]
    assert titles.count("FAQ") == 1 and "Pricing your time" in titles


@pytest.mark.django_db
def test_searching_does_not_write_to_the_database(client, site_tree):
    client.get("/search/?q=anything+at+all")
    assert not Query.objects.filter(query_string="anything at all").exists()


@pytest.mark.django_db
def test_useful_empty_states(client, site_tree):
    blank = client.get("/search/").content.decode()
    assert "Search experts, blog posts and help pages." in blank
    none = client.get("/search/?q=xyzzyplugh").content.decode()
    assert "Nothing matched" in none and 'href="/blog/"' in none


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "q=<script>alert(1)</script>",
        "q=session&page=abc",
        "q=session&page=99999999999",
        "q=" + "a" * 5000,
        "q=%00%01",
        "q=' OR 1=1 --",
        "page=-1",
        "q=%E2%80%AE",
    ],
)
def test_bad_input_never_errors(client, site_tree, query):
    response = client.get(f"/search/?{query}")
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.django_db
def test_results_paginate(client, site_tree):
    for n in range(13):
        make_blog_post(site_tree["blog"], n=n, title=f"Mentoring story {n}")
    first = client.get("/search/?q=mentoring")
    assert len(result_titles(first)) == 10
    assert "page=2" in first.content.decode()
    assert len(result_titles(client.get("/search/?q=mentoring&page=2"))) == 3


@pytest.mark.django_db
def test_search_query_count_is_constant(client, site_tree, django_assert_num_queries, django_assert_max_num_queries):
    for n in range(2):
        make_blog_post(site_tree["blog"], n=n, title=f"Growth {n}")
    client.get("/search/?q=growth")
    with django_assert_max_num_queries(40) as small:
        client.get("/search/?q=growth")
    baseline = len(small.captured_queries)  # read now: the query log is a bounded deque
    for n in range(2, 10):
        make_blog_post(site_tree["blog"], n=n, title=f"Growth {n}")
    with django_assert_num_queries(baseline):
        client.get("/search/?q=growth")
