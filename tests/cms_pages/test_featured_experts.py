"""The home page's featured-experts block: the editor's choice, else the top experts."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from marketplace.models import ExpertPage, ExpertProfile
from tests.marketplace.factories import make_expert


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def set_featured(home, pages=()):
    home.body = [{"type": "featured_experts", "value": {"heading": "Meet our experts", "pages": [p.pk for p in pages]}}]
    home.save_revision().publish()


def featured_names(client, url="/"):
    section = soup(client.get(url)).select_one(".stream .cards-section")
    return None if section is None else [h.get_text(strip=True) for h in section.select(".expert-card__name")]


@pytest.mark.django_db
def test_an_empty_block_renders_nothing_while_there_are_no_experts(client, home_page, expert_index):
    set_featured(home_page)
    assert featured_names(client) is None
    assert "Meet our experts" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_an_empty_block_fills_with_the_top_four_active_experts(client, home_page, expert_index):
    set_featured(home_page)
    make_expert(expert_index, name="Low Rated", rating="3.9", rating_count=9, sessions=90)
    make_expert(expert_index, name="Top Busy", rating="4.9", rating_count=30, sessions=120)
    make_expert(expert_index, name="Top Quiet", rating="4.9", rating_count=3, sessions=4)
    make_expert(expert_index, name="Good", rating="4.5", rating_count=10, sessions=20)
    make_expert(
        expert_index,
        name="Paused Star",
        rating="5.0",
        rating_count=50,
        sessions=300,
        status=ExpertProfile.Status.PAUSED,
    )
    make_expert(expert_index, name="Newcomer")

    page = soup(client.get("/"))
    section = page.select_one(".stream .cards-section")
    assert section.h2.get_text(strip=True) == "Meet our experts"
    # Highest rating first, then most sessions; paused experts never appear.
    assert [h.get_text(strip=True) for h in section.select("h3.expert-card__name")] == [
        "Top Busy",
        "Top Quiet",
        "Good",
        "Low Rated",
    ]
    assert section.select_one(".cards-section__more a")["href"] == "/experts/"


@pytest.mark.django_db
def test_the_editors_choice_wins_over_the_automatic_fill(client, home_page, expert_index):
    chosen = make_expert(expert_index, name="Chosen One", rating="4.0", rating_count=2)
    make_expert(expert_index, name="Star", rating="5.0", rating_count=80, sessions=200)
    set_featured(home_page, pages=[ExpertPage.objects.get(profile=chosen)])
    section = soup(client.get("/")).select_one(".stream .cards-section")
    assert [a.get_text(strip=True) for a in section.select(".tile__title a")] == ["Chosen One"]
    assert section.select(".expert-card") == []


@pytest.mark.django_db
def test_other_languages_show_only_their_own_experts(client, home_page, expert_index):
    set_featured(home_page)
    make_expert(expert_index, name="English Only", rating="4.8", rating_count=5)
    spanish = Locale.objects.create(language_code="es")
    home_page.copy_for_translation(spanish).save_revision().publish()
    assert featured_names(client, "/") == ["English Only"]
    assert featured_names(client, "/es/") is None
    assert ExpertPage.objects.featured(locale_id=spanish.pk) == []


def home_queries(client) -> int:
    client.get("/")  # renditions and caches warm, as on a live site
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_home_page_query_count_does_not_grow_with_experts(client, home_page, expert_index):
    set_featured(home_page)
    make_expert(expert_index, name="First", rating="4.1", rating_count=1, photo=True)
    one = home_queries(client)
    for n in range(8):
        make_expert(expert_index, name=f"Expert {n}", rating=f"4.{n}", rating_count=n + 1, photo=True)
    many = home_queries(client)
    assert many == one
    assert len(featured_names(client)) == 4


@pytest.mark.django_db
def test_featured_experts_costs_two_queries(home_page, expert_index, django_assert_num_queries):
    for n in range(6):
        make_expert(expert_index, name=f"Expert {n}", rating="4.5", rating_count=3, photo=True)
    with django_assert_num_queries(2):  # the rows, their photo renditions
        experts = ExpertPage.objects.featured(locale_id=home_page.locale_id, limit=4)
        assert [e.profile.rating_avg for e in experts] and len(experts) == 4
