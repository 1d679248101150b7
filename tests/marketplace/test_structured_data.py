import json
import re

import pytest
from django.utils import timezone

from marketplace.models import ExpertPage, ExpertVerification, Language
from tests.marketplace.factories import add_package, make_category, make_expert

pytestmark = pytest.mark.django_db


def jsonld_blocks(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    return [json.loads(block) for block in blocks]


def by_type(graph: list[dict]) -> dict[str, dict]:
    return {node["@type"]: node for node in graph}


def expert_graph(html: str) -> dict:
    """The expert page's Person + Service block; the SEO head adds its breadcrumbs beside it."""
    blocks = jsonld_blocks(html)
    (graph,) = [block for block in blocks if "@graph" in block]
    (crumbs,) = [block for block in blocks if block.get("@type") == "BreadcrumbList"]
    assert len(blocks) == 2
    assert [item["name"] for item in crumbs["itemListElement"]][:2] == ["Home", "Experts"]
    return graph


def test_expert_page_carries_person_service_and_offers(client, expert_index):
    profile = make_expert(
        expert_index,
        name="Ada Lovelace",
        headline="Poetical science",
        currency="EUR",
        prices={30: "40", 60: "75"},
        rating="4.8",
        rating_count=12,
        photo=True,
    )
    add_package(profile, duration=60, count=5, major="340")
    html = client.get("/experts/ada-lovelace/").content.decode()
    data = expert_graph(html)
    assert data["@context"] == "https://schema.org"
    nodes = by_type(data["@graph"])
    person, service = nodes["Person"], nodes["Service"]
    assert person["name"] == "Ada Lovelace" and person["jobTitle"] == "Poetical science"
    assert person["url"] == "http://testserver/experts/ada-lovelace/"
    assert person["image"].startswith("http://testserver/media/images/")
    assert service["provider"] == {"@id": person["@id"]}
    # Packages cannot be bought, so they are not offered to search engines either.
    assert [(o["price"], o["priceCurrency"]) for o in service["offers"]] == [("40.00", "EUR"), ("75.00", "EUR")]
    assert all(offer["@type"] == "Offer" for offer in service["offers"])
    assert service["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": "4.80",
        "ratingCount": 12,
        "bestRating": "5",
        "worstRating": "1",
    }


def test_no_aggregate_rating_without_ratings(client, expert_index):
    make_expert(expert_index, name="New Person", prices={60: "50"})
    data = expert_graph(client.get("/experts/new-person/").content.decode())
    assert "aggregateRating" not in by_type(data["@graph"])["Service"]


def test_markup_in_profile_text_cannot_break_out_of_the_json_ld(client, expert_index):
    make_expert(expert_index, name="Eve", headline="</script><script>alert(1)</script>", prices={60: "50"})
    html = client.get("/experts/eve/").content.decode()
    assert "<script>alert(1)</script>" not in html
    data = expert_graph(html)
    assert by_type(data["@graph"])["Person"]["jobTitle"] == "</script><script>alert(1)</script>"


def test_category_page_carries_item_list_and_breadcrumbs(client, expert_index):
    data_cat = make_category("Data", "data")
    python = make_category("Python", "python-dev", parent=data_cat)
    make_expert(expert_index, name="Ada Lovelace", categories=[python], rating="5", rating_count=1)
    make_expert(expert_index, name="Alan Turing", categories=[python])
    (data,) = jsonld_blocks(client.get("/experts/python-dev/").content.decode())
    nodes = by_type(data["@graph"])
    crumbs = nodes["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Home", "http://testserver/"),
        (2, "Experts", "http://testserver/experts/"),
        (3, "Data", "http://testserver/experts/data/"),
        (4, "Python", "http://testserver/experts/python-dev/"),
    ]
    items = nodes["ItemList"]["itemListElement"]
    assert [(i["position"], i["url"]) for i in items] == [
        (1, "http://testserver/experts/ada-lovelace/"),
        (2, "http://testserver/experts/alan-turing/"),
    ]
    assert nodes["ItemList"]["numberOfItems"] == 2


def test_browse_page_has_its_breadcrumbs_and_no_category_json_ld(client, expert_index):
    (crumbs,) = jsonld_blocks(client.get("/experts/").content.decode())
    assert crumbs["@type"] == "BreadcrumbList"
    assert [(item["name"], item["item"]) for item in crumbs["itemListElement"]] == [
        ("Home", "http://testserver/"),
        ("Experts", "http://testserver/experts/"),
    ]


def test_expert_page_query_count_does_not_grow_with_offerings(
    client, expert_index, django_assert_max_num_queries, django_assert_num_queries
):
    profile = make_expert(expert_index, name="Ada Lovelace", prices={30: "40"}, photo=True, skills=["A"])
    client.get("/experts/ada-lovelace/")
    with django_assert_max_num_queries(16) as first:
        client.get("/experts/ada-lovelace/")
    # Read now: the next request resets Django's query log. Routing 6 (site, locale,
    # home page, index page as Page and specific, the expert page with its profile
    # and photo), view restrictions 1, the page's offerings and relations 4 (session
    # types, packages with their session types, categories, skills; languages come from the page's codes and
    # the cached names), the verification record 1, the site chrome's hreflang
    # alternates 1. The free times (3 queries) come from bookings' slot fragment, not the page.
    count = len(first.captured_queries)
    assert count == 13
    for duration in (45, 60, 90):
        from core.money import Money
        from marketplace.services import session_type_create

        session_type_create(profile=profile, duration_minutes=duration, price=Money(5000, "USD"))
        add_package(profile, duration=duration, count=3, major="120")
        ExpertVerification.objects.create(
            profile=profile, kind="credential", title=f"Credential {duration}", verified_at=timezone.now()
        )
    client.get("/experts/ada-lovelace/")
    with django_assert_num_queries(count):
        client.get("/experts/ada-lovelace/")


def test_expert_page_lists_its_languages_by_name_without_a_query_for_them(client, expert_index):
    make_expert(expert_index, name="Polyglot", prices={60: "50"}, languages=("fr", "de", "en"))
    body = client.get("/experts/polyglot/").content.decode()
    assert "<dt>Languages</dt><dd>English, French, German</dd>" in body
    page = ExpertPage.objects.get(title="Polyglot")
    page.languages = list(Language.objects.filter(code="es"))
    page.save_revision().publish()
    body = client.get("/experts/polyglot/").content.decode()
    assert "<dt>Languages</dt><dd>Spanish</dd>" in body
