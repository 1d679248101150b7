"""Links written into templates keep Spanish and German visitors in their language."""

import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Locale

from cms_pages.models import StandardPage
from cms_pages.selectors import localized_url


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def translate(page, code, **fields):
    locale, _ = Locale.objects.get_or_create(language_code=code)
    translated = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    return translated


@pytest.fixture
def spanish_site(site_tree):
    home = site_tree["home"]
    join = StandardPage(title="Join as an expert", slug="join")
    home.add_child(instance=join)
    join.save_revision().publish()
    translate(home, "es", title="Inicio")
    translate(join, "es", title="Únete como experto", slug="unete")
    return {**site_tree, "join": join}


@pytest.mark.django_db
def test_the_spanish_home_links_to_spanish_pages(client, spanish_site):
    page = soup(client.get("/es/"))
    hero_links = [a["href"] for a in page.select(".hero .actions a")]
    # The join page's Spanish slug differs; the CTA default "/experts/" has no
    # Spanish page here, so it stays on the English one instead of a 404.
    assert hero_links == ["/experts/", "/es/unete/"]


@pytest.mark.django_db
def test_the_english_home_keeps_plain_paths(client, spanish_site):
    page = soup(client.get("/"))
    assert [a["href"] for a in page.select(".hero .actions a")] == ["/experts/", "/join/"]


@pytest.mark.django_db
def test_the_404_page_links_and_searches_in_the_visitors_language(client, spanish_site):
    response = client.get("/es/no-existe/")
    assert response.status_code == 404
    page = soup(response)
    assert page.select_one("form.search-inline")["action"] == "/es/search/"
    links = [a["href"] for a in page.select(".error-page p a")]
    assert links[0] == "/es/"  # the Spanish home
    assert "/blog/" in links  # no Spanish blog: the English one rather than a dead link

    english = soup(client.get("/nowhere/"))
    assert english.select_one("form.search-inline")["action"] == "/search/"
    assert [a["href"] for a in english.select(".error-page p a")] == ["/", "/experts/", "/blog/"]


@pytest.mark.django_db
def test_the_german_search_page_suggestions_stay_german(client, site_tree):
    translate(site_tree["home"], "de", title="Startseite")
    translate(site_tree["faq"], "de", title="Häufige Fragen", slug="fragen")
    page = soup(client.get("/de/search/?q=nothing-matches-this"))
    hrefs = [a["href"] for a in page.select("main a")]
    assert "/de/fragen/" in hrefs and "/faq/" not in hrefs


@pytest.mark.django_db
def test_localized_url_costs_one_query_per_path_and_remembers_it(spanish_site, django_assert_num_queries):
    request = RequestFactory().get("/es/")
    from wagtail.models import Site

    request._wagtail_site = Site.objects.get(is_default_site=True)
    Site.get_site_root_paths()  # Wagtail keeps these in the shared cache; every page view has them
    with translation.override("es"):
        with django_assert_num_queries(1):
            assert localized_url(request=request, path="/join/") == "/es/unete/"
        with django_assert_num_queries(0):
            assert localized_url(request=request, path="/join/") == "/es/unete/"
            assert localized_url(request=request, path="https://example.com/") == "https://example.com/"
            assert localized_url(request=request, path="/es/unete/") == "/es/unete/"
        with django_assert_num_queries(1):
            assert localized_url(request=request, path="/missing/") == "/missing/"
    with translation.override("en"), django_assert_num_queries(0):
        assert localized_url(request=request, path="/join/") == "/join/"
