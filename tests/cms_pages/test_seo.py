"""Titles, descriptions, canonical, social cards, JSON-LD, hreflang, sitemap and robots."""

import json

import pytest
from bs4 import BeautifulSoup
from lxml import etree
from wagtail.models import Locale, PageViewRestriction

from cms_pages.models import SiteSettings, StandardPage
from tests.factories import make_blog_post, make_image


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def json_ld(response) -> dict[str, dict]:
    """Every JSON-LD object on the page, by @type; each must parse."""
    found = {}
    for script in soup(response).find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        assert data["@context"] == "https://schema.org"
        found[data["@type"]] = data
    return found


def translate(page, code, **fields):
    locale, _ = Locale.objects.get_or_create(language_code=code)
    translated = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    return translated


@pytest.mark.django_db
def test_home_has_organization_and_website_with_search_action(client, site_tree):
    data = json_ld(client.get("/"))
    assert data["Organization"]["name"] == "TapTime"
    assert data["Organization"]["url"] == "http://testserver/"
    action = data["WebSite"]["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"
    assert "BreadcrumbList" not in data


@pytest.mark.django_db
def test_faq_page_carries_faqpage_data_for_every_question(client, site_tree):
    data = json_ld(client.get("/faq/"))
    questions = data["FAQPage"]["mainEntity"]
    assert [q["name"] for q in questions] == ["How do I book?", "Can I reschedule?"]
    assert questions[1]["acceptedAnswer"]["text"] == "<p>Yes, <b>up to 24 h</b> before.</p>"
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [c["item"] for c in crumbs] == ["http://testserver/", "http://testserver/faq/"]


@pytest.mark.django_db
def test_blog_post_has_blogposting_with_required_properties(client, site_tree):
    author_photo = make_image("Author")
    from blog.models import BlogAuthor

    author = BlogAuthor.objects.create(name="Maya Okafor", photo=author_photo)
    post = make_blog_post(site_tree["blog"], n=1, author=author, image=make_image("Hero", seed=3), title="Prepare well")
    data = json_ld(client.get(post.url))
    posting = data["BlogPosting"]
    for key in ("headline", "datePublished", "dateModified", "author", "image", "mainEntityOfPage", "publisher"):
        assert posting[key], key
    assert posting["headline"] == "Prepare well"
    assert posting["author"] == {"@type": "Person", "name": "Maya Okafor"}
    assert posting["image"].startswith("http://testserver/media/")
    assert len(data["BreadcrumbList"]["itemListElement"]) == 3


@pytest.mark.django_db
def test_json_ld_cannot_be_broken_out_of_by_page_content(client, site_tree):
    faq = site_tree["faq"]
    faq.groups = [
        {
            "type": "group",
            "value": {
                "topic": "T",
                "questions": [{"question": "</script><script>alert(1)</script>", "answer": "<p>x</p>"}],
            },
        }
    ]
    faq.save_revision().publish()
    response = client.get("/faq/")
    assert "</script><script>alert(1)" not in response.content.decode()
    assert json_ld(response)["FAQPage"]["mainEntity"][0]["name"] == "</script><script>alert(1)</script>"


@pytest.mark.django_db
def test_title_description_and_social_cards_fall_back_sensibly(client, site_tree):
    about = site_tree["about"]
    page = soup(client.get("/about/"))
    assert page.title.string == "About TapTime · TapTime"
    assert page.find("meta", attrs={"name": "description"})["content"] == "Who we are."  # intro as fallback
    assert page.find("link", rel="canonical")["href"] == "http://testserver/about/"
    assert page.find("meta", property="og:title")["content"] == "About TapTime"
    assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary"
    about.seo_title, about.search_description = "About us, the people", "We are a remote team."
    about.save_revision().publish()
    settings = SiteSettings.objects.get_or_create(site=site_tree["home"].get_site())[0]
    settings.default_social_image = make_image("Social card")
    settings.save()
    page = soup(client.get("/about/"))
    assert page.title.string == "About us, the people · TapTime"
    assert page.find("meta", attrs={"name": "description"})["content"] == "We are a remote team."
    assert page.find("meta", property="og:image")["content"].endswith(".jpg")
    assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"


@pytest.mark.django_db
def test_hreflang_alternates_and_the_language_switcher_follow_translations(client, site_tree):
    home_es = translate(site_tree["home"], "es", title="Inicio")
    translate(site_tree["about"], "es", title="Sobre nosotros", slug="sobre")
    assert home_es.url == "/es/"
    page = soup(client.get("/about/"))
    alternates = {link["hreflang"]: link["href"] for link in page.find_all("link", rel="alternate", hreflang=True)}
    assert alternates == {
        "en": "http://testserver/about/",
        "es": "http://testserver/es/sobre/",
        "x-default": "http://testserver/about/",
    }
    switcher = {a["hreflang"]: a["href"] for a in page.select(".language-switcher a")}
    assert switcher["es"] == "http://testserver/es/sobre/"
    assert switcher["de"] == "/de/"  # no German translation: that language's home

    spanish = client.get("/es/sobre/")
    assert spanish.status_code == 200
    spanish_page = soup(spanish)
    assert spanish_page.html["lang"] == "es"
    assert spanish_page.find("link", rel="canonical")["href"] == "http://testserver/es/sobre/"
    assert spanish_page.select_one('.language-switcher a[aria-current="true"]')["hreflang"] == "es"


@pytest.mark.django_db
def test_a_private_translation_is_not_offered_as_an_alternate(client, site_tree):
    from wagtail.models import PageViewRestriction

    home_es = translate(site_tree["home"], "es", title="Inicio")
    translate(site_tree["about"], "es", title="Sobre nosotros", slug="sobre")
    translate(site_tree["home"], "de", title="Start")
    german_about = translate(site_tree["about"], "de", title="Über uns", slug="ueber")
    # Spanish is restricted at its home page (an ancestor), German only on the page itself.
    PageViewRestriction.objects.create(page=home_es, restriction_type=PageViewRestriction.LOGIN)
    alternates = {
        link["hreflang"] for link in soup(client.get("/about/")).find_all("link", rel="alternate", hreflang=True)
    }
    assert alternates == {"en", "de", "x-default"}
    PageViewRestriction.objects.create(page=german_about, restriction_type=PageViewRestriction.PASSWORD, password="x")
    alternates = {
        link["hreflang"] for link in soup(client.get("/about/")).find_all("link", rel="alternate", hreflang=True)
    }
    assert alternates == set()


@pytest.mark.django_db
def test_a_page_without_translations_has_no_hreflang(client, site_tree):
    assert soup(client.get("/about/")).find("link", hreflang=True) is None


@pytest.mark.django_db
def test_sitemap_lists_published_pages_in_every_locale_and_omits_drafts_and_private_ones(client, site_tree):
    home = site_tree["home"]
    translate(home, "de", title="Start")
    draft = StandardPage(title="Draft", slug="draft", live=False)
    home.add_child(instance=draft)
    secret = StandardPage(title="Secret", slug="secret")
    home.add_child(instance=secret)
    secret.save_revision().publish()
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.LOGIN)

    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    tree = etree.fromstring(response.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = set(tree.xpath("//s:url/s:loc/text()", namespaces=ns))
    for path in ("/", "/about/", "/faq/", "/contact/", "/blog/", "/de/"):
        assert f"http://testserver{path}" in locations, path
    assert not any("draft" in loc or "secret" in loc for loc in locations)


@pytest.mark.django_db
def test_robots_txt_disallows_private_areas_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    for path in ("/admin/", "/accounts/", "/dashboard/", "/expert/", "/api/", "/django-admin/"):
        assert f"Disallow: {path}\n" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


@pytest.mark.django_db
def test_redirects_are_managed_in_the_admin_and_applied(client, site_tree, staff_user):
    from wagtail.contrib.redirects.models import Redirect

    client.force_login(staff_user)
    assert client.get("/admin/redirects/").status_code == 200
    Redirect.objects.create(old_path="/old-about", redirect_page=site_tree["about"])
    response = client.get("/old-about/")
    assert response.status_code == 301 and response["Location"].endswith("/about/")


def _head_tags(html: str) -> list[str]:
    """Every <meta property|name> and <link rel="canonical"> key of a page's head, as written."""
    soup = BeautifulSoup(html, "html.parser")
    keys = [
        f"meta:{tag.get('property') or tag.get('name')}"
        for tag in soup.head.find_all("meta")
        if tag.get("property") or tag.get("name")
    ]
    keys += [f"link:{tag['rel'][0]}" for tag in soup.head.find_all("link", rel="canonical")]
    return keys


def test_no_page_type_emits_a_meta_or_open_graph_tag_twice(client, site_tree, expert_index):
    from tests.marketplace.factories import make_category, make_expert

    data = make_category("Data", "data")
    make_expert(expert_index, name="Ada Lovelace", prices={60: "80"}, categories=[data])
    urls = ["/", "/about/", "/faq/", "/contact/", "/blog/", "/experts/", "/experts/data/", "/experts/ada-lovelace/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        keys = _head_tags(response.content.decode())
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        assert duplicates == [], (url, duplicates)
        assert "meta:og:type" in keys and "meta:og:title" in keys and "link:canonical" in keys, url


def test_the_expert_page_is_a_profile_with_its_own_title(client, expert_index):
    from tests.marketplace.factories import make_expert

    make_expert(expert_index, name="Ada Lovelace", headline="Poetical science", prices={60: "80"})
    soup = BeautifulSoup(client.get("/experts/ada-lovelace/").content.decode(), "html.parser")
    og = {tag["property"]: tag["content"] for tag in soup.find_all("meta", property=True)}
    assert og["og:type"] == "profile"
    assert og["og:title"] == "Ada Lovelace — Poetical science"
    assert og["og:url"] == "http://testserver/experts/ada-lovelace/"
